#include "login_flood.hpp"

#include <boost/json/serialize.hpp>

#include <chrono>

#include "http_client.hpp"

namespace parley::bench {

LoginFlood::LoginFlood(std::string host, unsigned short port, std::vector<std::string> usernames, LoginFloodOptions options)
    : host_(std::move(host)), port_(port), usernames_(std::move(usernames)), options_(options) {
  if (options_.rate <= 0 || usernames_.empty()) return;
  for (int t = 0; t < options_.threads; ++t) threads_.emplace_back([this, t] { run(t); });
}

LoginFlood::~LoginFlood() { stop(); }

void LoginFlood::stop() {
  if (stopping_.exchange(true)) return;
  stopped_ = std::chrono::steady_clock::now();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
}

double LoginFlood::achieved_rate() const {
  const std::chrono::duration<double> elapsed = stopped_ - started_;
  return elapsed.count() > 0 ? static_cast<double>(attempts_.load()) / elapsed.count() : 0;
}

std::map<int, std::int64_t> LoginFlood::answers() const {
  std::lock_guard lock(mutex_);
  return answers_;
}

void LoginFlood::run(int thread_index) {
  // One client per address this thread speaks for; the thread cycles through them.
  std::vector<std::unique_ptr<HttpClient>> clients;
  for (int a = thread_index; a < std::max(options_.addresses, 1); a += options_.threads) {
    auto client = std::make_unique<HttpClient>(host_, port_);
    if (options_.addresses > 1) client->bind_to("127.0.0." + std::to_string(1 + a % 250));
    clients.push_back(std::move(client));
  }
  if (clients.empty()) {
    clients.push_back(std::make_unique<HttpClient>(host_, port_));
  }
  const auto interval = std::chrono::nanoseconds(static_cast<std::int64_t>(1e9 * options_.threads / options_.rate));
  auto due = std::chrono::steady_clock::now();
  for (std::int64_t i = 0; !stopping_; ++i) {
    std::this_thread::sleep_until(due);
    due += interval;
    const auto& username = usernames_[static_cast<std::size_t>(i * options_.threads + thread_index) % usernames_.size()];
    auto& client = *clients[static_cast<std::size_t>(i) % clients.size()];
    const auto body = boost::json::serialize(boost::json::object{{"username", username}, {"password", "not the password"}});
    const auto response = client.request("POST", "/v1/auth/login", body, {}, std::chrono::seconds(5));
    ++attempts_;
    std::lock_guard lock(mutex_);
    ++answers_[response.status];
  }
}

}  // namespace parley::bench
