// A blocking HTTP/1.1 client with one keep-alive connection, for setup (registration, rooms)
// and for scraping /metrics. Setup runs several of these on threads in parallel; the measured
// load itself never goes through here.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace parley::bench {

struct HttpResponse {
  int status = 0;  // 0: no answer (connection refused, timeout)
  std::string body;
  std::string error;  // why there was no answer
};

class HttpClient {
 public:
  HttpClient(std::string host, unsigned short port);
  // Connections from now on start from this local address (127.0.0.N on loopback): the
  // server sees them as another client.
  void bind_to(std::string local_address);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // One request on the kept-alive connection, reconnecting once if the server closed it.
  // Never throws: a failure has status 0 and an error.
  HttpResponse request(const std::string& method, const std::string& target, const std::string& body = {},
                       const std::string& bearer = {},
                       std::chrono::milliseconds timeout = std::chrono::seconds(30));

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Runs work(i) for i in [0, count) on `threads` threads, each with its own HttpClient, and
// waits for all of them. work must be safe to call from several threads at once.
void parallel_http(const std::string& host, unsigned short port, int count, int threads,
                   const std::function<void(HttpClient&, int)>& work);

}  // namespace parley::bench
