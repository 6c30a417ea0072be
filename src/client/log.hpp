#pragma once
// The SDK's log lines: connection changes, reconnects, outbox failures. They go to one
// process-wide sink that the app sets (the C API's parley_set_log_callback); none is set by
// default, and then a log line costs one atomic load.
#include <functional>
#include <string_view>

namespace parley::client {

// The C API's PARLEY_LOG_* values.
enum class LogLevel { error = 0, warning = 1, info = 2, debug = 3 };

using LogSink = std::function<void(LogLevel, std::string_view)>;

// An empty sink turns logging off. Once this returns the previous sink is no longer running.
void set_log_sink(LogSink sink, LogLevel max_level);

[[nodiscard]] bool log_enabled(LogLevel level);

// Never throws: a sink that throws loses that line, not the caller's work.
void log(LogLevel level, std::string_view message);

}  // namespace parley::client
