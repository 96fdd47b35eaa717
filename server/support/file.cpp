// File reading with plain POSIX calls: no iostream buffering between the disk and the parser.
#include "support/file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

namespace aspm::support {
namespace {

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

std::optional<std::string> readFile(const std::string& path, std::string* error) {
  std::string out;
  auto err = readFileChunks(path, 1 << 20, [&](std::string_view c) {
    out.append(c);
    return true;
  });
  if (err) {
    if (error) *error = *err;
    return std::nullopt;
  }
  return out;
}

std::optional<std::string> readFileChunks(const std::string& path, std::size_t chunkSize,
                                          const std::function<bool(std::string_view)>& chunk) {
  Fd f;
  f.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (f.fd < 0) return std::string("cannot open: ") + std::strerror(errno);
  struct stat st {};
  if (::fstat(f.fd, &st) == 0 && S_ISDIR(st.st_mode)) return std::string("is a directory");
  std::unique_ptr<char[]> buf(new char[chunkSize]);
  for (;;) {
    const ssize_t n = ::read(f.fd, buf.get(), chunkSize);
    if (n < 0) {
      if (errno == EINTR) continue;
      return std::string("read failed: ") + std::strerror(errno);
    }
    if (n == 0) break;
    if (!chunk(std::string_view(buf.get(), static_cast<std::size_t>(n)))) break;
  }
  return std::nullopt;
}

}  // namespace aspm::support
