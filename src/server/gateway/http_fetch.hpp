#pragma once
// Documents this server reads from another site (the app identity provider's JWK Set): one
// HTTP or HTTPS GET at a time on a thread of its own, so that no I/O thread ever waits on
// another site; bounded by a connect timeout, a deadline for the whole exchange and a size limit.
#include <boost/asio/io_context.hpp>
#include <boost/asio/executor_work_guard.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <thread>

#include "core/error.hpp"

namespace parley::gateway {

class HttpFetcher {
 public:
  struct Limits {
    std::chrono::milliseconds connect_timeout{std::chrono::seconds(5)};
    std::chrono::milliseconds total_timeout{std::chrono::seconds(15)};  // resolve, connect, TLS, request, response
    std::size_t max_body_bytes = std::size_t{1} << 20;  // a JWK Set is a few KiB
  };

  explicit HttpFetcher(Limits limits);
  ~HttpFetcher();  // abandons what is under way and ends the thread
  HttpFetcher(const HttpFetcher&) = delete;
  HttpFetcher& operator=(const HttpFetcher&) = delete;

  // GET `url` (http:// or https://, the server's certificate checked against the system's CAs);
  // `done` runs on the fetcher's thread, never inside this call, with the body of a 200 answer
  // or `unavailable` saying what went wrong.
  void get(std::string url, std::function<void(Result<std::string>)> done);
  // Runs `work` on the fetcher's thread: for other slow reads, such as a file.
  void run(std::function<void()> work);

 private:
  Limits limits_;
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::thread thread_;
};

}  // namespace parley::gateway
