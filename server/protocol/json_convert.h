// Boost.JSON conversions of the protocol structs (tag_invoke value_to / value_from) and the
// error type that carries the JSON path of a conversion failure. Internal to protocol/ (and its
// tests): other layers use codec.h.
#pragma once

#include <boost/json.hpp>
#include <exception>
#include <string>
#include <string_view>

#include "protocol/types.h"

namespace aspm::protocol {

// A conversion failure and where it happened. Thrown by value_to; each enclosing field or array
// element adds its name on the way out, so the message reads "textDocument.uri: expected string".
class ConversionError : public std::exception {
 public:
  explicit ConversionError(std::string message) : message_(std::move(message)) { refresh(); }
  void prependKey(std::string_view key);
  void prependIndex(std::size_t index);
  // The full message with `root` ("params") as the first path element.
  std::string describe(std::string_view root) const;
  const char* what() const noexcept override { return what_.c_str(); }

 private:
  void refresh() { what_ = describe(""); }
  std::string path_;  // ".a.b[3]" form
  std::string message_;
  std::string what_;
};

#define ASPM_PROTOCOL_DECLARE_TAG_INVOKE(T)                          \
  T tag_invoke(boost::json::value_to_tag<T>, const boost::json::value& jv); \
  void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, const T& x);
ASPM_PROTOCOL_STRUCTS(ASPM_PROTOCOL_DECLARE_TAG_INVOKE)
#undef ASPM_PROTOCOL_DECLARE_TAG_INVOKE

}  // namespace aspm::protocol
