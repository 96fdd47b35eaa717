// Content-Length framing (the LSP base protocol) as a pure, incremental parser: bytes in, message
// bodies and framing errors out. It has no I/O and no JSON, so the stdio transport, the tests and
// the fuzzer all drive the same code. Bad input is never fatal: an unusable header block is
// reported and the parser resynchronises on the next "Content-Length"; an oversized message is
// reported and its body skipped without being buffered.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace aspm::transport {

struct FrameLimits {
  std::size_t maxMessageBytes = 64u << 20;  // larger bodies are skipped with an error
  std::size_t maxHeaderBytes = 8u << 10;    // a header block without an end within this is junk
};

struct FrameEvent {
  enum class Kind { Message, Error };
  Kind kind = Kind::Message;
  std::string text;  // the message body, or what was wrong
};

class FrameParser {
 public:
  explicit FrameParser(FrameLimits limits = {});

  // Consume a chunk of the input stream (any split is fine); completed events are appended.
  void feed(std::string_view chunk, std::vector<FrameEvent>& out);
  // The input ended: reports a message cut short, if any.
  void finish(std::vector<FrameEvent>& out);

  const FrameLimits& limits() const noexcept { return limits_; }

 private:
  enum class State { Header, Body, Skip, Resync };

  // Parses one header block; returns the content length, or sets `error` and the offset in the
  // block from which to look for the next header.
  std::uint64_t parseHeaders(std::string_view block, std::string& error, std::size_t& resume) const;

  FrameLimits limits_;
  State state_ = State::Header;
  std::string buf_;         // unconsumed input (header bytes, or data being scanned in Resync)
  std::string body_;        // the body being assembled
  std::uint64_t remaining_ = 0;  // bytes still missing from the body (Body) or to drop (Skip)
  std::uint64_t expected_ = 0;   // the body's announced length, for messages about truncation
};

// Frames one message body for sending.
std::string frameMessage(std::string_view body);

}  // namespace aspm::transport
