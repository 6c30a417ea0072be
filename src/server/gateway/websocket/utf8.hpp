#pragma once
#include <string_view>

namespace parley::gateway::websocket {

// True when `text` is well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing
// past U+10FFFF), as RFC 6455 requires of every text message.
[[nodiscard]] bool is_valid_utf8(std::string_view text);

}  // namespace parley::gateway::websocket
