#pragma once
// How the terminal client prints things, and how it turns errors into exit codes.
#include <functional>
#include <string>
#include <unordered_map>

#include <parley/client.hpp>

namespace parley::cli {

// Exit codes: 0 done; 1 the server or the SDK refused; 2 bad usage; 69 the server cannot be
// reached (sysexits' EX_UNAVAILABLE); 77 not signed in (EX_NOPERM).
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitUnavailable = 69;
inline constexpr int kExitNotSignedIn = 77;

// Prints "parley: <message>" to standard error and returns the exit code for the error.
int report(const Error& error);

[[nodiscard]] std::string describe(const Room& room, Client& client);
// Usernames by id, for showing who wrote what.
using Names = std::unordered_map<UserId, std::string>;
[[nodiscard]] Names member_names(Client& client, RoomId room);
[[nodiscard]] std::string describe(const Message& message, UserId me, const Names& names);
// Who wrote a message, as the screens show it: "me", the username, or "user 12".
[[nodiscard]] std::string sender_name(const Message& message, UserId me, const Names& names);
// A file message's part before its caption: "[file #4] report.pdf" (the number is what
// `download` takes), empty for text.
[[nodiscard]] std::string attachment_label(const Message& message);
[[nodiscard]] std::string describe(const Presence& presence);
[[nodiscard]] std::string status_mark(const Message& message);

}  // namespace parley::cli
