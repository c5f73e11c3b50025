#include "fixers/version_guard.h"

namespace distlint::fixers {
namespace {

std::string HasattrTest(std::string_view reference) {
  const size_t dot = reference.rfind('.');
  return "hasattr(" + std::string(reference.substr(0, dot)) + ", \"" + std::string(reference.substr(dot + 1)) + "\")";
}

}  // namespace

std::string GuardedReference(std::string_view new_reference, std::string_view old_reference) {
  return "(" + std::string(new_reference) + " if " + HasattrTest(new_reference) + " else " +
         std::string(old_reference) + ")";
}

std::string GuardedCall(std::string_view new_callee, std::string_view prepended_arguments,
                        std::string_view old_callee, std::string_view arguments) {
  std::string_view inner = arguments.substr(1, arguments.size() - 2);
  std::string new_arguments(prepended_arguments);
  if (inner.find_first_not_of(" \t\r\n") != std::string_view::npos) new_arguments += ", " + std::string(inner);
  return "(" + std::string(new_callee) + "(" + new_arguments + ") if " + HasattrTest(new_callee) + " else " +
         std::string(old_callee) + std::string(arguments) + ")";
}

}  // namespace distlint::fixers
