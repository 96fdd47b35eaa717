// A JSON text writer for the outgoing payloads too large to build as a value first: a file's
// diagnostics are re-sent on every keystroke that moves them, and building thousands of
// Boost.JSON objects only to serialise and free them cost more than the editor can wait. It
// writes the text Boost.JSON's serializer writes for the same value (same escapes, same number
// format), so readers cannot tell the two apart; a unit test holds the two side by side.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace aspm::protocol {

class JsonText {
 public:
  void beginObject() { open('{'); }
  void endObject() { close('}'); }
  void beginArray() { open('['); }
  void endArray() { close(']'); }
  // An object member's key, one of the protocol's own names (plain ASCII, nothing to escape);
  // the member's value is written next.
  void key(std::string_view k) {
    separate();
    out_ += '"';
    out_ += k;
    out_ += "\":";
    needComma_ = false;
  }
  void string(std::string_view s) {
    separate();
    quoted(s);
    needComma_ = true;
  }
  void number(std::int64_t n);

  std::string take() { return std::move(out_); }
  void reserve(std::size_t n) { out_.reserve(n); }

 private:
  void open(char c) {
    separate();
    out_ += c;
    needComma_ = false;
  }
  void close(char c) {
    out_ += c;
    needComma_ = true;
  }
  void separate() {
    if (needComma_) out_ += ',';
  }
  void quoted(std::string_view s);

  std::string out_;
  bool needComma_ = false;  // a value precedes in the current container
};

}  // namespace aspm::protocol
