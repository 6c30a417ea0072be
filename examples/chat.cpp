// A Parley client in C++, from top to bottom: two people, a direct room, a message and its
// journey from pending to read. Usage: chat SERVER_URL DATA_DIR
#include <cstdio>
#include <iostream>
#include <random>
#include <thread>

#include <parley/client.hpp>

using namespace std::chrono_literals;

namespace {

// Every call returns std::expected: stop the example at the first error, saying why.
template <class T>
T or_die(parley::Result<T> result, const char* what) {
  if (!result) {
    std::cerr << what << " failed (" << parley::to_string(result.error().kind()) << "): " << result.error().message << "\n";
    std::exit(1);
  }
  if constexpr (!std::is_void_v<T>) return std::move(*result);
}

std::unique_ptr<parley::Client> sign_up(const std::string& server, const std::string& dir, const std::string& name) {
  parley::ClientOptions options;
  options.server = server;
  options.data_dir = dir;  // the local database: history and the outbox live here
  auto client = or_die(parley::Client::open(options), "open");
  or_die(client->register_account(name, "a long password"), "register");
  client->connect();  // keeps itself connected from now on
  if (!client->wait_online(10s)) std::exit(1);
  return client;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: chat SERVER_URL DATA_DIR\n";
    return 2;
  }
  const std::string server = argv[1], dir = argv[2];
  const std::string suffix = std::to_string(std::random_device{}() % 100000);

  // 1. Two people sign up, each with their own device (data directory).
  auto ana = sign_up(server, dir + "/ana", "ana" + suffix);
  auto ben = sign_up(server, dir + "/ben", "ben" + suffix);

  // 2. Ben watches for messages; callbacks queue up until he drains them (or pass an executor).
  ben->set_observer({.message = [](const parley::Message& m) { std::cout << "ben sees: " << m.text << "\n"; }});

  // 3. Ana opens the direct room with Ben (asking again returns the same room) and writes.
  auto room = or_die(ana->direct_room("ben" + suffix), "direct room");
  auto sent = or_die(ana->send_text(room.id, "hello Ben"), "send");
  std::cout << "ana's message is " << parley::to_string(sent.state) << "\n";  // pending: on disk, not yet sent
  ana->wait_outbox_empty(10s);

  // 4. Ben receives it, and reads it.
  for (int i = 0; i < 500 && ben->messages(room.id).empty(); ++i) std::this_thread::sleep_for(10ms);
  ben->drain();
  or_die(ben->mark_read(room.id), "mark read");

  // 5. Ana sees her message go to read.
  for (int i = 0; i < 500; ++i) {
    auto mine = ana->messages(room.id);
    if (!mine.empty() && mine.back().state == parley::MessageState::read) {
      std::cout << "ana's message is read\n";
      return 0;
    }
    std::this_thread::sleep_for(10ms);
  }
  std::cerr << "ana never saw her message read\n";
  return 1;
}
