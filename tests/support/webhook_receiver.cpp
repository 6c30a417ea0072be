#include "support/webhook_receiver.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <cctype>

namespace parley::test {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

namespace {

// One request on a connection, answered (or not) as the mode says; the connection then ends.
struct Exchange : std::enable_shared_from_this<Exchange> {
  explicit Exchange(tcp::socket s) : stream(std::move(s)) {}
  beast::tcp_stream stream;
  beast::flat_buffer buffer;
  http::request<http::string_body> request;
  http::response<http::string_body> response;

  void answer(int status, std::string body) {
    response.result(static_cast<http::status>(status));
    response.body() = std::move(body);
    response.keep_alive(false);
    response.prepare_payload();
    http::async_write(stream, response, [self = shared_from_this()](boost::system::error_code, std::size_t) {
      boost::system::error_code ignored;
      self->stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    });
  }
};

}  // namespace

struct WebhookReceiver::Impl {
  net::io_context io;
  tcp::acceptor acceptor{io, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0)};
  Mode mode = Mode::accept;  // the io thread's
  Responder responder;       // the io thread's
  std::vector<std::shared_ptr<Exchange>> held;  // hung connections, kept open
};

WebhookReceiver::WebhookReceiver() : impl_(std::make_unique<Impl>()) {
  accept_next();
  thread_ = std::thread([this] { impl_->io.run(); });
}

WebhookReceiver::~WebhookReceiver() {
  impl_->io.stop();
  thread_.join();
}

void WebhookReceiver::set_responder(Responder responder) {
  std::atomic<bool> done{false};
  net::post(impl_->io, [this, &responder, &done] {
    impl_->responder = std::move(responder);
    done = true;
  });
  while (!done) std::this_thread::yield();
}

void WebhookReceiver::set_mode(Mode mode) {
  std::atomic<bool> done{false};
  net::post(impl_->io, [this, mode, &done] {
    impl_->mode = mode;
    if (mode != Mode::hang) {
      for (auto& exchange : impl_->held) {
        boost::system::error_code ignored;
        exchange->stream.socket().close(ignored);
      }
      impl_->held.clear();
    }
    done = true;
  });
  while (!done) std::this_thread::yield();
}

std::string WebhookReceiver::url() const {
  return "http://127.0.0.1:" + std::to_string(impl_->acceptor.local_endpoint().port()) + "/hooks/parley";
}

std::vector<WebhookReceiver::Received> WebhookReceiver::received() const {
  std::lock_guard lock(mutex_);
  return received_;
}

bool WebhookReceiver::wait_until(const std::function<bool(const std::vector<Received>&)>& done,
                                 std::chrono::seconds limit) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, limit, [&] { return done(received_); });
}

void WebhookReceiver::record(Received received) {
  std::lock_guard lock(mutex_);
  received_.push_back(std::move(received));
  changed_.notify_all();
}

void WebhookReceiver::accept_next() {
  impl_->acceptor.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
    if (ec) return;
    accept_next();
    auto exchange = std::make_shared<Exchange>(std::move(socket));
    http::async_read(exchange->stream, exchange->buffer, exchange->request,
                     [this, exchange](boost::system::error_code read_ec, std::size_t) {
                       if (read_ec) return;
                       const auto& r = exchange->request;
                       Received received{.id = std::string(r["webhook-id"]),
                                         .timestamp = std::string(r["webhook-timestamp"]),
                                         .signature = std::string(r["webhook-signature"]),
                                         .body = r.body()};
                       for (const auto& field : r) {
                         std::string name(field.name_string());
                         for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                         received.headers[name] = std::string(field.value());
                       }
                       if (impl_->mode == Mode::hang) {
                         impl_->held.push_back(exchange);
                       } else {
                         std::pair<int, std::string> answer{500, "failing on purpose"};
                         if (impl_->mode == Mode::accept)
                           answer = impl_->responder ? impl_->responder(received.body) : std::pair<int, std::string>{200, "ok"};
                         received.status = answer.first;
                         exchange->answer(answer.first, std::move(answer.second));
                       }
                       record(std::move(received));
                     });
  });
}

}  // namespace parley::test
