// Errors as values for the libgit2 layer. A GitError owns a copy of libgit2's message (taken at
// once, before any other libgit2 call can overwrite the thread's last error), so it can be
// stored, logged and compared long after the failing call.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace aspm::gitmap {

struct GitError {
  int code = 0;          // libgit2 return code (GIT_ENOTFOUND, ...); 0 for errors of our own
  int klass = 0;         // git_error_t class
  std::string operation; // what we were doing: "open repository /x", "diff abc..def"
  std::string message;   // libgit2's text
  std::string describe() const { return operation + ": " + message; }
  bool notFound() const noexcept { return code == -3; }  // GIT_ENOTFOUND, without git2.h
};

template <typename T>
class Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}          // NOLINT: implicit by design
  Result(GitError error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT
  bool ok() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const GitError& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, GitError> v_;
};

}  // namespace aspm::gitmap
