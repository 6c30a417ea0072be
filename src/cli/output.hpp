#pragma once
// How the terminal client prints things, and how it turns errors into exit codes.
#include <functional>
#include <string>
#include <unordered_map>

#include <parley/client.hpp>

#include "cli/message_text.hpp"

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
[[nodiscard]] Names member_names(Client& client, RoomId room);
[[nodiscard]] std::string describe(const Presence& presence);

}  // namespace parley::cli
