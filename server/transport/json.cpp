// Opaque JSON handle: parsing, serialization, and the shared null value.
#include "transport/json.h"

#include "transport/json_boost.h"

namespace aspm::transport {
namespace {

const std::shared_ptr<const Json::Impl>& nullImpl() {
  static const auto n = std::make_shared<const Json::Impl>();
  return n;
}

}  // namespace

Json::Json() : impl_(nullImpl()) {}
Json::~Json() = default;
Json::Json(const Json&) = default;
Json::Json(Json&& o) noexcept : impl_(std::move(o.impl_)) {}
Json& Json::operator=(const Json&) = default;
Json& Json::operator=(Json&& o) noexcept {
  impl_ = std::move(o.impl_);
  return *this;
}
Json::Json(std::shared_ptr<const Impl> impl) noexcept : impl_(std::move(impl)) {}

// A moved-from handle behaves as null rather than dereferencing an empty pointer.
const Json::Impl& Json::impl() const noexcept { return impl_ ? *impl_ : *nullImpl(); }

std::optional<Json> Json::parse(std::string_view text, std::string* error) {
  boost::json::stream_parser p({}, protocolParseOptions());
  boost::system::error_code ec;
  const std::size_t used = p.write_some(text.data(), text.size(), ec);
  if (!ec && used < text.size()) ec = boost::json::error::extra_data;
  if (!ec) p.finish(ec);
  if (ec) {
    if (error) *error = ec.message() + " at byte " + std::to_string(used);
    return std::nullopt;
  }
  return makeJson(p.release());
}

Json Json::fromText(std::string text) {
  if (text.empty()) return Json();
  auto impl = std::make_shared<Impl>();
  impl->text = std::move(text);
  return Json(std::move(impl));
}

const std::string* Json::text() const noexcept { return impl().text.empty() ? nullptr : &impl().text; }

bool Json::isNull() const noexcept { return impl().text.empty() && impl().value.is_null(); }
bool Json::isObject() const noexcept {
  return impl().text.empty() ? impl().value.is_object() : impl().text.front() == '{';
}
std::string Json::serialize() const { return impl().text.empty() ? boost::json::serialize(impl().value) : impl().text; }

}  // namespace aspm::transport
