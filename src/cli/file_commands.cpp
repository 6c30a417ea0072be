// The terminal client's file commands: send-file (queued like send when offline) and download.
#include <iostream>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/safe_text.hpp"

namespace parley::cli {

using namespace std::chrono_literals;

namespace {

// A large file takes as long as it takes: wait while the connection holds, not for a set time.
bool wait_sent(Client& c) {
  while (!c.wait_outbox_empty(1s)) {
    c.drain();
    if (c.connection_state() != ConnectionState::online) return false;
  }
  return true;
}

// The message at `seq`, from this device or, failing that, from the server's history.
std::optional<Message> find_message(Client& c, RoomId room, Seq seq) {
  for (;;) {
    for (const auto& m : c.messages(room, 1, seq + 1))
      if (m.seq == seq) return m;
    if (c.connection_state() != ConnectionState::online) return std::nullopt;
    auto older = c.load_older(room, 100);
    if (!older || older->empty()) return std::nullopt;
  }
}

}  // namespace

int cmd_send_file(Client& c, std::int64_t room, const std::string& path, const std::string& type, const std::string& caption) {
  if (!c.me()) return report(Error{ErrorCode::unauthorized, "not signed in; run `parley login USER` first"});
  bool online = go_online(c);
  auto message = c.send_file(RoomId{room}, path, {.type = type, .caption = caption});
  if (!message) return report(message.error());
  if (online && wait_sent(c)) {
    for (const auto& m : c.messages(RoomId{room}))
      if (m.client_msg_id == message->client_msg_id && m.state == MessageState::failed)
        return report(Error{m.failure_code.value_or(ErrorCode::invalid_payload), "the server refused the file: " + m.failure});
    std::cout << "sent\n";
    return kExitOk;
  }
  std::cout << "queued: the server cannot be reached; it will be sent by the next parley command that connects\n";
  return kExitOk;
}

int cmd_download(Client& c, std::int64_t room, std::int64_t seq, const std::string& output) {
  if (!c.me()) return report(Error{ErrorCode::unauthorized, "not signed in; run `parley login USER` first"});
  go_online(c);
  c.wait_outbox_empty(5s);  // the catch-up lands first: the message may have just arrived
  auto message = find_message(c, RoomId{room}, seq);
  if (!message)
    return report(Error{ErrorCode::not_found, "no message #" + std::to_string(seq) + " in room #" + std::to_string(room)});
  auto cached = c.download(*message);
  if (!cached) return report(cached.error());
  if (output.empty()) {
    std::cout << shown(cached->string()) << "\n";  // the cache's name holds the sender's file name
    return kExitOk;
  }
  std::error_code ec;
  std::filesystem::copy_file(*cached, output, std::filesystem::copy_options::overwrite_existing, ec);
  if (ec) return report(Error{ErrorCode::invalid_payload, "cannot write " + output + ": " + ec.message()});
  std::cout << output << "\n";
  return kExitOk;
}

}  // namespace parley::cli
