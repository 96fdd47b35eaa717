// Logging with a replaceable sink: the CLI writes to stderr, the language server forwards to
// window/logMessage (stdout is the protocol channel and must never receive log text).
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace aspm::support {

enum class LogLevel { Error = 1, Warning = 2, Info = 3, Debug = 4 };

using LogSink = std::function<void(LogLevel, std::string_view)>;

// Install a sink (thread-safe); an empty function restores the stderr sink.
void setLogSink(LogSink sink);
void setLogLevel(LogLevel max);
void log(LogLevel level, std::string_view message);

inline void logError(std::string_view m) { log(LogLevel::Error, m); }
inline void logWarning(std::string_view m) { log(LogLevel::Warning, m); }
inline void logInfo(std::string_view m) { log(LogLevel::Info, m); }
inline void logDebug(std::string_view m) { log(LogLevel::Debug, m); }

}  // namespace aspm::support
