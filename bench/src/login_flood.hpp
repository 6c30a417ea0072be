// Wrong-password logins at a steady rate, beside a scenario's own traffic: what a password
// guesser (or many, from many addresses) costs the people who are chatting. Each attempt names
// an existing account with a wrong password; the answers are counted by status.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace parley::bench {

struct LoginFloodOptions {
  double rate = 0;        // attempts per second, all threads together; 0: none
  int addresses = 1;      // spread over 127.0.0.1 .. 127.0.0.N, as that many guessers
  // Blocking clients, each sending rate / threads a second. A guess the server hashes takes
  // as long as the hash queue ahead of it; past the queue's bound, it is refused at once. So
  // that slow answers do not hold the rate down, there are many of these.
  int threads = 200;
};

class LoginFlood {
 public:
  LoginFlood(std::string host, unsigned short port, std::vector<std::string> usernames, LoginFloodOptions options);
  ~LoginFlood();  // stops

  void stop();
  [[nodiscard]] std::int64_t attempts() const { return attempts_.load(); }
  // Attempts a second, from the start until stop().
  [[nodiscard]] double achieved_rate() const;
  // HTTP status -> count; 0 for no answer.
  [[nodiscard]] std::map<int, std::int64_t> answers() const;

 private:
  void run(int thread_index);

  std::string host_;
  unsigned short port_;
  std::vector<std::string> usernames_;
  LoginFloodOptions options_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point stopped_;
  std::atomic<bool> stopping_{false};
  std::atomic<std::int64_t> attempts_{0};
  mutable std::mutex mutex_;
  std::map<int, std::int64_t> answers_;
  std::vector<std::thread> threads_;
};

}  // namespace parley::bench
