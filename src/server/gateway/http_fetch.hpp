#pragma once
// Requests this server makes to another site (reading the app identity provider's JWK Set,
// posting webhooks): HTTP or HTTPS on a thread of its own, so that no I/O thread ever waits on
// another site, many exchanges under way at once (each a coroutine); each bounded by a connect
// timeout, a deadline for the whole exchange and a size limit on the answer.
#include <boost/asio/io_context.hpp>
#include <boost/asio/executor_work_guard.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace parley::gateway {

class HttpFetcher {
 public:
  struct Limits {
    std::chrono::milliseconds connect_timeout{std::chrono::seconds(5)};
    std::chrono::milliseconds total_timeout{std::chrono::seconds(15)};  // resolve, connect, TLS, request, response
    std::size_t max_body_bytes = std::size_t{1} << 20;  // a JWK Set is a few KiB
  };

  struct Request {
    std::string url;
    std::vector<std::pair<std::string, std::string>> headers;
    std::optional<std::string> body;  // a POST with this body; none: a GET
  };
  struct Answer {
    int status = 0;
    std::string body;
  };

  explicit HttpFetcher(Limits limits);
  ~HttpFetcher();  // abandons what is under way and ends the thread
  HttpFetcher(const HttpFetcher&) = delete;
  HttpFetcher& operator=(const HttpFetcher&) = delete;

  // GET `url` (http:// or https://, the server's certificate checked against the system's CAs);
  // `done` runs on the fetcher's thread, never inside this call, with the body of a 200 answer
  // or `unavailable` saying what went wrong.
  void get(std::string url, std::function<void(Result<std::string>)> done);
  // Sends `request`; `done` runs on the fetcher's thread with the answer, whatever its status,
  // or `unavailable` when none came (refused, timed out, not HTTP).
  void send(Request request, std::function<void(Result<Answer>)> done);
  // Runs `work` on the fetcher's thread: for other slow reads, such as a file.
  void run(std::function<void()> work);

 private:
  Limits limits_;
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::thread thread_;
};

}  // namespace parley::gateway
