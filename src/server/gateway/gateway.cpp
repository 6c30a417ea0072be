#include "server/gateway/gateway.hpp"

#include "server/gateway/realtime/relayed_broadcast.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <chrono>
#include <random>
#include <spdlog/spdlog.h>

#include "server/gateway/gateway_context.hpp"
#include "server/gateway/http_session.hpp"
#include "server/gateway/realtime/relayed_broadcast.hpp"
#include "server/gateway/strand_pool.hpp"

namespace parley::gateway {

namespace net = boost::asio;
using tcp = net::ip::tcp;

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(net::io_context& io, std::shared_ptr<GatewayContext> context)
      : acceptor_(net::make_strand(io)),
        retry_timer_(acceptor_.get_executor()),
        strands_(io, kStrands),
        context_(std::move(context)) {}

  Result<unsigned short> open(const std::string& host, unsigned short port) {
    boost::system::error_code ec;
    auto address = net::ip::make_address(host, ec);
    if (ec) return fail(ErrorCode::invalid_payload, "cannot listen on host \"" + host + "\": " + ec.message());
    tcp::endpoint endpoint{address, port};
    if (acceptor_.open(endpoint.protocol(), ec); ec) return failure("open", ec);
    if (acceptor_.set_option(net::socket_base::reuse_address(true), ec); ec) return failure("configure", ec);
    if (acceptor_.bind(endpoint, ec); ec) return failure("bind " + host + ":" + std::to_string(port), ec);
    if (acceptor_.listen(net::socket_base::max_listen_connections, ec); ec) return failure("listen", ec);
    return acceptor_.local_endpoint().port();
  }

  void start() { do_accept(); }

  void stop() {
    net::post(acceptor_.get_executor(), [self = shared_from_this()] {
      boost::system::error_code ec;
      self->acceptor_.close(ec);
      self->retry_timer_.cancel();
    });
  }

 private:
  static Result<unsigned short> failure(const std::string& what, const boost::system::error_code& ec) {
    return fail(ErrorCode::internal, "cannot " + what + ": " + ec.message());
  }

  void do_accept() {
    acceptor_.async_accept(strands_.next(), [self = shared_from_this()](boost::system::error_code ec, tcp::socket socket) {
      if (ec == net::error::operation_aborted || !self->acceptor_.is_open()) return;
      if (!ec) {
        self->backoff_ = kFirstBackoff;
        socket.set_option(tcp::no_delay(true), ec);
        serve_http(std::move(socket), self->context_);
        return self->do_accept();
      }
      // Out of file descriptors, most likely. Trying again at once would fail again at once,
      // spinning a core and filling the log: wait, longer each time, until one succeeds; the
      // connections already open keep working meanwhile.
      spdlog::warn("accept failed: {}; trying again in {} ms", ec.message(), self->backoff_.count());
      self->retry_timer_.expires_after(self->backoff_);
      self->backoff_ = std::min(self->backoff_ * 2, kMaxBackoff);
      self->retry_timer_.async_wait([self](boost::system::error_code timer_ec) {
        if (!timer_ec && self->acceptor_.is_open()) self->do_accept();
      });
    });
  }

  static constexpr std::chrono::milliseconds kFirstBackoff{10};
  static constexpr std::chrono::milliseconds kMaxBackoff{1000};
  std::chrono::milliseconds backoff_ = kFirstBackoff;

  // Enough that two busy connections seldom share one; about 110 KB in all.
  static constexpr std::size_t kStrands = 1024;

  tcp::acceptor acceptor_;
  net::steady_timer retry_timer_;  // on the acceptor's strand, as backoff_ is
  StrandPool strands_;
  std::shared_ptr<GatewayContext> context_;
};

Gateway::Gateway(net::io_context& io, GatewayOptions options, service::Services services, hub::Hub& hub) : io_(io) {
  std::random_device random;
  std::uint64_t first_id = (static_cast<std::uint64_t>(random()) << 32) ^ random();
  context_ = std::shared_ptr<GatewayContext>(
      new GatewayContext{options, Operations(services), hub, {first_id | 1}, {false}, StaticFiles(options.web_dir),
                         // Silence is noticed within one period and a dead peer dropped after two.
                         {io, std::chrono::duration_cast<std::chrono::milliseconds>(options.ping_timeout) / 2},
                         Handoff(io), SignInLimits(options.sign_in), OriginPolicy(options.allowed_origins)});
  listener_ = std::make_shared<Listener>(io_, context_);
  // Realtime broadcasts relayed by the other nodes of a cluster, to this node's joiners.
  services.realtime_relay.on_arrival([weak = std::weak_ptr<GatewayContext>(context_)](std::string_view relayed) {
    auto context = weak.lock();
    if (!context) return;
    if (auto broadcast = realtime::decode_relayed(relayed))
      context->realtime_topics.broadcast(broadcast->topic, 0, broadcast->payload, broadcast->bytes);
  });
}

Gateway::~Gateway() {
  context_->keepalive.stop();
  context_->handoff.discard();
}

Result<unsigned short> Gateway::start() {
  const auto& options = context_->options;
  if (!options.tls_certificate.empty()) {
    auto certificate = tls::ServerCertificate::load({options.tls_certificate, options.tls_key});
    if (!certificate) return std::unexpected(certificate.error());
    context_->certificate = std::move(*certificate);
  }
  auto port = listener_->open(context_->options.host, context_->options.port);
  if (port) {
    listener_->start();
    context_->keepalive.start();
  }
  return port;
}

Result<void> Gateway::reload_certificate() {
  if (!context_->certificate) return {};
  return context_->certificate->reload();
}

void Gateway::stop_accepting() {
  context_->stopping = true;
  listener_->stop();
}

void Gateway::close_connections() {
  for (const auto& connection : context_->hub.connections()) connection->go_away();
}

}  // namespace parley::gateway
