// A streaming JSON writer for the benchmark generator. The generator writes files of up to a
// gigabyte, so nothing is built in memory: tokens go straight into a buffered FILE*. Output is
// either compact or indented by two spaces (the layout of JSON.stringify(v, null, 2), which is
// how most tools pretty-print SARIF), so the two variants carry identical data.
#pragma once

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace aspm::bench {

class JsonOut {
 public:
  JsonOut(std::FILE* out, bool pretty) : out_(out), pretty_(pretty) { buf_.reserve(kFlushAt + 4096); }
  ~JsonOut() { flush(); }
  JsonOut(const JsonOut&) = delete;
  JsonOut& operator=(const JsonOut&) = delete;

  void beginObject() { open('{'); }
  void endObject() { close('}'); }
  void beginArray() { open('['); }
  void endArray() { close(']'); }

  void key(std::string_view k) {
    separate();
    quoted(k);
    buf_ += pretty_ ? ": " : ":";
    afterKey_ = true;
  }

  void string(std::string_view s) {
    separate();
    quoted(s);
    maybeFlush();
  }
  void number(std::int64_t v) {
    separate();
    char tmp[24];
    auto [end, ec] = std::to_chars(tmp, tmp + sizeof tmp, v);
    (void)ec;
    buf_.append(tmp, end);
  }
  // Decimal numbers are written from their text so the output is byte-identical everywhere.
  void rawNumber(std::string_view text) {
    separate();
    buf_ += text;
  }
  void boolean(bool v) {
    separate();
    buf_ += v ? "true" : "false";
  }

  // Shorthands for the common "key": value members.
  void field(std::string_view k, std::string_view v) { key(k), string(v); }
  void field(std::string_view k, const char* v) { key(k), string(v); }
  void field(std::string_view k, std::int64_t v) { key(k), number(v); }
  void field(std::string_view k, int v) { key(k), number(v); }
  void field(std::string_view k, std::uint32_t v) { key(k), number(v); }
  void field(std::string_view k, bool v) { key(k), boolean(v); }
  void objectField(std::string_view k) { key(k), beginObject(); }
  void arrayField(std::string_view k) { key(k), beginArray(); }
  // {"text": "..."}, the SARIF multiformatMessageString / message shape.
  void textObject(std::string_view k, std::string_view text) {
    objectField(k);
    field("text", text);
    endObject();
  }

  void finish() {
    if (pretty_) buf_ += '\n';
    flush();
  }
  std::uint64_t bytesWritten() const noexcept { return written_ + buf_.size(); }
  bool failed() const noexcept { return failed_; }

 private:
  static constexpr std::size_t kFlushAt = 1 << 20;

  struct Frame {
    bool first = true;
  };

  void open(char c) {
    separate();
    buf_ += c;
    stack_.push_back(Frame{});
  }
  void close(char c) {
    const bool empty = stack_.back().first;
    stack_.pop_back();
    if (pretty_ && !empty) newline();
    buf_ += c;
    maybeFlush();
  }
  // Called before every key and every value: commas between members, indentation when pretty.
  void separate() {
    if (afterKey_) {
      afterKey_ = false;
      return;
    }
    if (stack_.empty()) return;
    Frame& f = stack_.back();
    if (!f.first) buf_ += ',';
    f.first = false;
    if (pretty_) newline();
  }
  void newline() {
    buf_ += '\n';
    buf_.append(stack_.size() * 2, ' ');
  }
  void quoted(std::string_view s) {
    static constexpr char kHex[] = "0123456789abcdef";
    buf_ += '"';
    for (char ch : s) {
      const auto u = static_cast<unsigned char>(ch);
      switch (ch) {
        case '"': buf_ += "\\\""; break;
        case '\\': buf_ += "\\\\"; break;
        case '\n': buf_ += "\\n"; break;
        case '\r': buf_ += "\\r"; break;
        case '\t': buf_ += "\\t"; break;
        default:
          if (u < 0x20) {
            buf_ += "\\u00";
            buf_ += kHex[u >> 4];
            buf_ += kHex[u & 15];
          } else {
            buf_ += ch;
          }
      }
    }
    buf_ += '"';
  }
  void maybeFlush() {
    if (buf_.size() >= kFlushAt) flush();
  }
  void flush() {
    if (buf_.empty()) return;
    if (std::fwrite(buf_.data(), 1, buf_.size(), out_) != buf_.size()) failed_ = true;
    written_ += buf_.size();
    buf_.clear();
  }

  std::FILE* out_;
  bool pretty_;
  bool afterKey_ = false;
  bool failed_ = false;
  std::uint64_t written_ = 0;
  std::string buf_;
  std::vector<Frame> stack_;
};

}  // namespace aspm::bench
