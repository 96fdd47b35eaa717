// An immutable, cheaply copyable handle to one JSON value. The JSON library stays an
// implementation detail of transport/ and protocol/: the layers above (lsp/, engine/) pass
// message payloads around without ever seeing a JSON type, and only protocol/ turns them into
// typed structs.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace aspm::transport {

class Json {
 public:
  Json();  // null
  ~Json();
  Json(const Json&);
  Json(Json&&) noexcept;
  Json& operator=(const Json&);
  Json& operator=(Json&&) noexcept;

  // Parses JSON text; on failure returns nullopt and, when `error` is given, says what and where.
  static std::optional<Json> parse(std::string_view text, std::string* error = nullptr);

  // A value given as JSON text its writer guarantees to be valid (protocol/ writes the largest
  // outgoing payloads this way); it is sent as is and parsed only if a reader asks for the value.
  static Json fromText(std::string text);

  bool isNull() const noexcept;
  bool isObject() const noexcept;
  std::string serialize() const;
  // The JSON text of a value made by fromText(), else nullptr.
  const std::string* text() const noexcept;

  // The representation is visible to transport/ and protocol/ through json_boost.h only.
  struct Impl;
  explicit Json(std::shared_ptr<const Impl> impl) noexcept;
  const Impl& impl() const noexcept;

 private:
  std::shared_ptr<const Impl> impl_;
};

}  // namespace aspm::transport
