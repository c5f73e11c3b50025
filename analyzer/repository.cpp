#include "analyzer/repository.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <string_view>

namespace distlint {
namespace fs = std::filesystem;

namespace {

// Reads both pipes until they close, so a child that fills one pipe while
// the parent waits on the other cannot deadlock.
void DrainPipes(int out_fd, int err_fd, std::string& out, std::string& err) {
  pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
  int open_count = 2;
  char buffer[65536];
  while (open_count > 0) {
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      const ssize_t count = ::read(fds[i].fd, buffer, sizeof buffer);
      if (count > 0) {
        (i == 0 ? out : err).append(buffer, static_cast<size_t>(count));
      } else if (count == 0 || errno != EINTR) {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open_count;
      }
    }
  }
}

// Returns the absolute, symlink-resolved form of a folder, or its lexical
// absolute form when it does not exist.
fs::path ResolvedFolder(const fs::path& folder) {
  std::error_code error;
  fs::path resolved = fs::weakly_canonical(fs::absolute(folder, error), error);
  if (error) resolved = fs::absolute(folder).lexically_normal();
  return resolved;
}

}  // namespace

ProcessResult RunGit(const std::vector<std::string>& arguments, const std::string& working_directory) {
  ProcessResult result;
  int out_pipe[2];
  int err_pipe[2];
  if (::pipe(out_pipe) != 0) {
    result.err = std::string("pipe failed: ") + std::strerror(errno);
    return result;
  }
  if (::pipe(err_pipe) != 0) {
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    result.err = std::string("pipe failed: ") + std::strerror(errno);
    return result;
  }

  std::vector<std::string> storage = {"git"};
  storage.insert(storage.end(), arguments.begin(), arguments.end());
  std::vector<char*> argv;
  for (std::string& argument : storage) argv.push_back(argument.data());
  argv.push_back(nullptr);

  const pid_t pid = ::fork();
  if (pid < 0) {
    result.err = std::string("fork failed: ") + std::strerror(errno);
    for (int fd : {out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) ::close(fd);
    return result;
  }
  if (pid == 0) {
    const int null_fd = ::open("/dev/null", O_RDONLY);
    if (null_fd >= 0) ::dup2(null_fd, STDIN_FILENO);
    ::dup2(out_pipe[1], STDOUT_FILENO);
    ::dup2(err_pipe[1], STDERR_FILENO);
    ::close(out_pipe[0]);
    ::close(err_pipe[0]);
    if (!working_directory.empty() && ::chdir(working_directory.c_str()) != 0) ::_exit(126);
    ::execvp("git", argv.data());
    ::_exit(127);
  }
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  DrainPipes(out_pipe[0], err_pipe[0], result.out, result.err);

  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (result.exit_code == 127 && result.err.empty()) result.err = "git is not installed or not on PATH";
  return result;
}

PathMapper PathMapper::ForWorkingDirectory() {
  const fs::path working = ResolvedFolder(fs::current_path());
  const ProcessResult top = RunGit({"rev-parse", "--show-toplevel"}, working.string());
  if (top.exit_code == 0) {
    std::string root = top.out;
    while (!root.empty() && (root.back() == '\n' || root.back() == '\r')) root.pop_back();
    if (!root.empty()) return PathMapper(ResolvedFolder(root).string(), true);
  }
  return PathMapper(working.string(), false);
}

PathMapper::PathMapper(std::string root, bool in_repository) : root_(std::move(root)), in_repository_(in_repository) {
  while (root_.size() > 1 && root_.back() == '/') root_.pop_back();
}

std::string PathMapper::Relative(const std::string& path) const {
  // Resolve the folder but not the file itself, so a symbolic link to a
  // file keeps its own name.
  const fs::path absolute = fs::absolute(fs::path(path)).lexically_normal();
  const fs::path file = ResolvedFolder(absolute.parent_path()) / absolute.filename();
  const fs::path relative = file.lexically_relative(root_);
  if (relative.empty() || *relative.begin() == "..") return file.generic_string();
  return relative.generic_string();
}

std::string PathToUriReference(const std::string& path) {
  static const char* kHex = "0123456789ABCDEF";
  std::string uri;
  for (const char character : path) {
    const auto byte = static_cast<unsigned char>(character);
    const bool unreserved = (byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') ||
                            (byte >= '0' && byte <= '9') || byte == '-' || byte == '.' || byte == '_' ||
                            byte == '~' || byte == '/';
    if (unreserved) {
      uri.push_back(character);
    } else {
      uri.push_back('%');
      uri.push_back(kHex[byte >> 4]);
      uri.push_back(kHex[byte & 0xF]);
    }
  }
  return uri;
}

uint64_t StableHash64(std::string_view bytes, uint64_t seed) {
  uint64_t hash = seed;
  for (const char byte : bytes) {
    hash ^= static_cast<unsigned char>(byte);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

}  // namespace distlint
