#pragma once
// One message as text: who wrote it, its file, the state of one's own. Used by `history` and by
// the chat screen; needs no client, so the unit tests compile it in.
#include <string>
#include <unordered_map>
#include <vector>

#include <parley/types.hpp>

namespace parley::cli {

// Usernames by id (as shown(): safe to print), for showing who wrote what.
using Names = std::unordered_map<UserId, std::string>;

// "alice: hello  (read)", "  * bob joined": one line, as `history` prints it. A reply names the
// seq it answers ("↳ #3"), an edited message ends with "(edited)", a deleted one reads
// "message deleted", and reactions follow the text.
[[nodiscard]] std::string describe(const Message& message, UserId me, const Names& names);
// "👍 2  [❤ 1]": each emoji with its count, the ones the signed-in user added in brackets.
[[nodiscard]] std::string reactions_text(const std::vector<Reaction>& reactions);
// Who wrote a message, as the screens show it: "me", the username, or "user 12".
[[nodiscard]] std::string sender_name(const Message& message, UserId me, const Names& names);
[[nodiscard]] std::string sender_name(UserId sender, UserId me, const Names& names);
// A time in local time, by strftime's `format` ("%H:%M"); empty when it does not fit.
[[nodiscard]] std::string local_time_text(TimestampMs at, const char* format);
// A file message's part before its caption: "[file #4] report.pdf" (the number is what
// `download` takes), empty for text.
[[nodiscard]] std::string attachment_label(const Message& message);
// The state of one's own message: "(pending)", "(sent)", "(delivered)", "(read)", "(failed: why)".
[[nodiscard]] std::string status_mark(const Message& message);

}  // namespace parley::cli
