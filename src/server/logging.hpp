#pragma once
#include <string>

namespace parley::server {

// Logs go to standard error: lines for people ("text") or one JSON object a line ("json").
void setup_logging(const std::string& format, const std::string& level);

}  // namespace parley::server
