// The client side of the store's server-sent events (GET /v1/projects/{p}/events): a parser for
// the text/event-stream format and a blocking connection that the sync client's thread opens and
// then waits on. A wait can be cut short from another thread (a local decision to push, or a
// stop) without losing the stream or anything already read, which is what lets one thread both
// listen and push.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/client/http_client.h"

namespace aspm::store::client {

struct SseEvent {
  std::string id;
  std::string type;  // "message" when the block named none
  std::string data;
};

// Incremental text/event-stream parsing as browsers do it: lines end in LF, CR or CRLF; a blank
// line dispatches; `:` starts a comment; a block without data is not an event; the BOM and
// unknown fields are ignored. Bytes may arrive split anywhere.
class SseParser {
 public:
  void feed(std::string_view bytes, std::vector<SseEvent>& out);
  std::uint64_t comments() const noexcept { return comments_; }

 private:
  void line(std::string_view text, std::vector<SseEvent>& out);
  std::string pending_;
  bool lastWasCR_ = false;
  bool started_ = false;
  std::string id_, type_, data_;
  bool hasData_ = false;
  std::uint64_t comments_ = 0;
};

class EventStreamConnection {
 public:
  EventStreamConnection(std::string host, std::string port, std::chrono::milliseconds timeout, TlsSettings tls = {});
  ~EventStreamConnection();
  EventStreamConnection(const EventStreamConnection&) = delete;
  EventStreamConnection& operator=(const EventStreamConnection&) = delete;

  struct Opened {
    int status = 0;     // 0: no answer (see error); 200: the stream is open
    std::string body;   // the error reply of a refusal (up to 64 KiB)
    std::string error;
    bool tlsRefused = false;  // with status 0: TLS refused the store (see HttpResponse)
  };
  // Connects and sends the request; every step has the timeout given above.
  Opened open(const std::string& target, const std::vector<std::pair<std::string, std::string>>& headers);

  enum class Wait {
    Data,     // bytes arrived (events, if any, were appended)
    Idle,     // nothing at all for the timeout: the connection is presumed dead
    Woken,    // wake() or interrupt() was called
    Closed,   // the server ended the stream, or the connection failed (see error)
  };
  Wait wait(std::chrono::milliseconds timeout, std::vector<SseEvent>& out, std::string& error);
  bool isOpen() const;
  void close();

  // From any thread: a wait in progress (or the next one) returns Woken.
  void wake();
  // From any thread: like wake(), and an open() in progress gives up.
  void interrupt();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace aspm::store::client
