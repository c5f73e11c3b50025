#include <iostream>

#include "analyzer/cli.h"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  std::vector<std::string> arguments(argv + 1, argv + argc);
  return distlint::RunCli(arguments, std::cout, std::cerr);
}
