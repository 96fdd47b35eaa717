// Process-wide log sink.
#include "support/log.h"

#include <cstdio>
#include <mutex>

namespace aspm::support {
namespace {

std::mutex& logMutex() {
  static std::mutex m;
  return m;
}
LogSink& sinkRef() {
  static LogSink s;
  return s;
}
LogLevel& levelRef() {
  static LogLevel l = LogLevel::Info;
  return l;
}

}  // namespace

void setLogSink(LogSink sink) {
  std::lock_guard lock(logMutex());
  sinkRef() = std::move(sink);
}

void setLogLevel(LogLevel max) {
  std::lock_guard lock(logMutex());
  levelRef() = max;
}

void log(LogLevel level, std::string_view message) {
  LogSink sink;
  {
    std::lock_guard lock(logMutex());
    if (static_cast<int>(level) > static_cast<int>(levelRef())) return;
    sink = sinkRef();
  }
  if (sink) {
    sink(level, message);
    return;
  }
  static constexpr const char* kNames[] = {"", "error", "warning", "info", "debug"};
  std::fprintf(stderr, "aspm %s: %.*s\n", kNames[static_cast<int>(level)], static_cast<int>(message.size()),
               message.data());
}

}  // namespace aspm::support
