// The bridge between the opaque transport::Json handle and Boost.JSON. Only transport/ and
// protocol/ include this header (the include-rule test enforces that Boost.JSON stays at the
// edges).
#pragma once

#include <boost/json.hpp>

#include "transport/json.h"

namespace aspm::transport {

struct Json::Impl {
  boost::json::value value;
};

inline const boost::json::value& boostValue(const Json& j) noexcept { return j.impl().value; }

inline Json makeJson(boost::json::value v) {
  return Json(std::make_shared<const Json::Impl>(Json::Impl{std::move(v)}));
}

// Parse options shared by every reader of protocol input: nesting is bounded so that hostile
// input cannot exhaust the stack, and invalid UTF-8 is rejected (LSP mandates UTF-8).
inline boost::json::parse_options protocolParseOptions() {
  boost::json::parse_options o;
  o.max_depth = 64;
  return o;
}

}  // namespace aspm::transport
