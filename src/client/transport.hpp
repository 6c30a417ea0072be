#pragma once
// The SDK's network: a blocking HTTP call (sign-in and token refresh) and the WebSocket
// connection that carries everything else. No Beast in this header: it lives in transport.cpp.
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include <parley/error.hpp>
#include <parley/types.hpp>

namespace boost::asio::ssl {
class context;
}

namespace parley::client {

struct Endpoint {
  std::string host;
  std::string port;
  // For https: the TLS context every connection to this server shares (it holds the trusted
  // certificate authorities). Empty: plain http.
  std::shared_ptr<boost::asio::ssl::context> tls;
};

// The protocol's error codes and error objects ({"code", "message", "retry_after_ms"}).
[[nodiscard]] ErrorCode error_code_from(std::string_view text);
[[nodiscard]] Error error_from_json(const boost::json::value& v);

// "http://host:port" or "https://host:port" -> the endpoint. For https, the server's certificate
// is checked against `ca_file` (PEM), or the system's certificate authorities when it is empty.
[[nodiscard]] Result<Endpoint> parse_server_url(const std::string& url, const std::filesystem::path& ca_file = {});

// One HTTP request with a JSON body; the answer's JSON, or its error as a parley::Error
// (network when the server cannot be reached).
[[nodiscard]] Result<boost::json::value> http_call(const Endpoint& server, const std::string& method,
                                                   const std::string& target, const boost::json::object& body,
                                                   const std::string& bearer, std::chrono::milliseconds timeout);

class Connection {
 public:
  struct Callbacks {
    std::function<std::string()> access_token;  // the token to authenticate with
    // Called (on the network thread) when the server refused the token given; true when a
    // new one was obtained and authentication should be tried again.
    std::function<bool(const std::string& refused)> refresh_token;
    // Something failed on the network thread that no request returns (a handler threw).
    std::function<void(const Error&)> failure;
    std::function<void(ConnectionState)> state_changed;
    std::function<void()> online;  // authenticated: sync and flush the outbox now
    std::function<void(const std::string& name, const boost::json::object& data)> event;
  };
  struct Backoff {
    std::chrono::milliseconds min;
    std::chrono::milliseconds max;
  };

  Connection(Endpoint server, Callbacks callbacks, Backoff backoff);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Connects, and reconnects after every loss until stop().
  void start();
  void stop();
  // Stops for good and joins the network thread; nothing runs on it afterwards. Idempotent.
  void shutdown();
  [[nodiscard]] ConnectionState state() const;

  using ReplyHandler = std::function<void(Result<boost::json::value>)>;
  // Sends a request; `handler` runs on the network thread with the reply's data or error. When
  // not online, it fails at once with a network error: nothing is queued here (the outbox is
  // the SDK's queue, and it is on disk). A request that is not valid UTF-8 fails at once with
  // invalid_utf8 (the server would close the connection on it); one the server closes the
  // connection on (1007, 1009) fails with invalid_utf8 or payload_too_large, not network.
  void request(const std::string& op, boost::json::object params, ReplyHandler handler);
  // The same, waiting for the reply.
  [[nodiscard]] Result<boost::json::value> call(const std::string& op, boost::json::object params,
                                                std::chrono::milliseconds timeout);

  // Runs `fn` on the network thread: now, or after `delay`.
  void post(std::function<void()> fn);
  void run_after(std::chrono::milliseconds delay, std::function<void()> fn);

  class Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace parley::client
