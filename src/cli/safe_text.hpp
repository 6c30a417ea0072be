#pragma once
// Text that came from another user (messages, names, file names), made safe to print on a
// terminal. A terminal obeys control characters and escape sequences wherever they come from:
// ESC ] 2 ; ... BEL renames the window, ESC [ 2 J clears the screen, OSC 52 writes the
// clipboard on some terminals, and the bidirectional overrides (U+202E...) make text read in
// another order than it was written. Each such character is shown as a visible stand-in.
#include <string>
#include <string_view>

namespace parley::cli {

// `untrusted` with every C0 and C1 control character, DEL, bidirectional embedding, override
// and isolate shown visibly: ESC as "^[", other C0 controls in caret notation, a line break as
// "⏎", a tab as a space, C1 controls and the bidirectional controls as "<U+202E>", and bytes
// that are not UTF-8 as "\xNN". Everything else passes unchanged.
[[nodiscard]] std::string shown(std::string_view untrusted);

}  // namespace parley::cli
