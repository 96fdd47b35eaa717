// The bridge between the opaque transport::Json handle and Boost.JSON. Only transport/ and
// protocol/ include this header (the include-rule test enforces that Boost.JSON stays at the
// edges).
#pragma once

#include <boost/json.hpp>
#include <mutex>
#include <string>

#include "transport/json.h"

namespace aspm::transport {

struct Json::Impl {
  // Either a value, or, for a large outgoing payload written directly as text (Json::fromText),
  // the text: it is then parsed into `value` only if a reader asks for the value, which sending
  // it never does.
  mutable boost::json::value value;
  std::string text;
  mutable std::once_flag parsed;

  const boost::json::value& get() const {
    if (!text.empty()) std::call_once(parsed, [this] { value = boost::json::parse(text); });
    return value;
  }
};

inline const boost::json::value& boostValue(const Json& j) { return j.impl().get(); }

inline Json makeJson(boost::json::value v) {
  auto impl = std::make_shared<Json::Impl>();
  impl->value = std::move(v);
  return Json(std::move(impl));
}

// Parse options shared by every reader of protocol input: nesting is bounded so that hostile
// input cannot exhaust the stack, and invalid UTF-8 is rejected (LSP mandates UTF-8).
inline boost::json::parse_options protocolParseOptions() {
  boost::json::parse_options o;
  o.max_depth = 64;
  return o;
}

}  // namespace aspm::transport
