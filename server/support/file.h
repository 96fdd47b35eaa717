// Reading files whole or in chunks, with errors as values.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace aspm::support {

struct FileError {
  std::string message;
};

// Read a whole file; on failure `error` is set and the result is empty.
std::optional<std::string> readFile(const std::string& path, std::string* error = nullptr);

// Stream a file in chunks of `chunkSize` bytes; the callback returns false to stop early.
// Returns an error message on I/O failure.
std::optional<std::string> readFileChunks(const std::string& path, std::size_t chunkSize,
                                          const std::function<bool(std::string_view)>& chunk);

}  // namespace aspm::support
