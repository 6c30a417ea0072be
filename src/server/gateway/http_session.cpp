#include "server/gateway/http_session.hpp"

#include <algorithm>
#include <array>
#include <chrono>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <boost/json/serialize.hpp>
#include <boost/url/parse.hpp>
#include <optional>

#include "core/metrics.hpp"
#include "domain/validation.hpp"
#include "protocol/frames.hpp"
#include "server/gateway/http_routes.hpp"
#include "server/gateway/http_stream.hpp"
#include "server/gateway/media_transfer.hpp"
#include "server/gateway/realtime/phoenix_message.hpp"
#include "server/gateway/supabase/rest_api.hpp"
#include "server/gateway/token_bucket.hpp"
#include "server/gateway/ws_session.hpp"

namespace parley::gateway {

namespace {

// What the web client's pages may load: its own scripts, styles and files, images and media
// from blob: URLs it makes itself, and its own server to talk to.
constexpr const char* kWebContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; media-src 'self' blob:; "
    "connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

// Closing a connection whose client is still sending (see do_close): what is read and thrown
// away, at most, and for how long.
constexpr std::size_t kDiscardChunk = 16 * 1024;
constexpr std::size_t kLingerBytes = std::size_t{64} << 20;
constexpr std::chrono::seconds kLingerTime{10};

}  // namespace

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace json = boost::json;

namespace {

constexpr std::size_t kHeaderLimitBytes = 16 * 1024;
constexpr std::string_view kWebSocketPath = "/v1/ws";
// Supabase Realtime (docs/supabase.md): where realtime-js connects, and the reference server's path.
constexpr std::string_view kRealtimePaths[] = {"/realtime/v1/websocket", "/socket/websocket"};

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(HttpStream stream, std::shared_ptr<GatewayContext> context)
      : stream_(std::move(stream)),
        context_(std::move(context)),
        budget_(context_->options.rate_per_second, context_->options.rate_burst) {}

  void run() {
    net::dispatch(stream_.get_executor(), beast::bind_front_handler(&HttpSession::do_read, shared_from_this()));
  }

 private:
  using Request = http::request<http::string_body>;

  // The header first: the route decides how the body is read. Uploads stream theirs to disk
  // under their own limit; every other body is read whole, up to --max-body-bytes.
  void do_read() {
    header_parser_.emplace();
    header_parser_->body_limit(boost::none);  // each kind of route applies its own, below
    header_parser_->header_limit(kHeaderLimitBytes);
    stream_.tcp().expires_after(context_->options.http_read_timeout);
    http::async_read_header(stream_, buffer_, *header_parser_,
                            beast::bind_front_handler(&HttpSession::on_header, shared_from_this()));
  }

  void on_header(beast::error_code ec, std::size_t) {
    if (ec) return do_close();
    const auto& header = header_parser_->get();
    version_ = header.version();
    rest_ = header.target().starts_with(supabase::kRestPrefix);
    keep_alive_ = header.keep_alive() && !context_->stopping;
    if (auto media = match_media_route(header.method_string(), header.target()); media != MediaRoute::none)
      return handle_media(media);
    if (auto length = header_parser_->content_length(); length && *length > context_->options.max_body_bytes)
      return refuse_body_too_large();
    parser_.emplace(std::move(*header_parser_));
    header_parser_.reset();
    parser_->body_limit(context_->options.max_body_bytes);
    http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&HttpSession::on_read, shared_from_this()));
  }

  void refuse_body_too_large() {
    // The rest of the body is not read: answer, then close, since the stream is mid-request.
    keep_alive_ = false;
    respond_error(Error{ErrorCode::payload_too_large,
                        "the body is over the limit of " + std::to_string(context_->options.max_body_bytes) + " bytes"});
  }

  // Uploads and downloads: checked here like every request, then run by media_transfer.cpp on
  // this session's stream until their response is written.
  void handle_media(MediaRoute route) {
    // Any answer before the body is read ends the connection: the body is still on its way.
    const bool unread_body = !header_parser_->is_done();
    if (unread_body) keep_alive_ = false;
    const auto& header = header_parser_->get();
    if (route == MediaRoute::wrong_method)
      return respond_error(Error{ErrorCode::method_not_allowed, std::string(header.method_string()) + " is not allowed on this route"});
    if (auto spent = spend_budget()) return respond_error(*spent);
    if (context_->stopping) return respond_error(Error{ErrorCode::unavailable, "the server is shutting down"});
    with_identity(bearer_token(header), [self = shared_from_this(), route](Result<service::Identity> user) {
      if (!user) return self->respond_error(user.error());
      self->start_media(route, *user);
    });
  }

  void start_media(MediaRoute route, const service::Identity& user) {
    const auto& header = header_parser_->get();
    keep_alive_ = header.keep_alive() && !context_->stopping;
    MediaConnection connection{
        .owner = shared_from_this(),
        .stream = stream_,
        .buffer = buffer_,
        .context = *context_,
        .respond = [self = shared_from_this()](unsigned status, json::value body, bool close) {
          if (close) self->keep_alive_ = false;
          self->respond(status, body);
        },
        .resume = [self = shared_from_this()](bool close) {
          if (close || !self->keep_alive_) return self->do_close();
          self->do_read();
        },
    };
    service::Caller caller{.user = user.user, .login = login_tag(user.login)};
    stream_.tcp().expires_never();
    // The transfer takes what it needs of the parser now; do_read starts a new one afterwards.
    if (route == MediaRoute::upload) return receive_upload(std::move(connection), std::move(*header_parser_), caller);
    send_download(std::move(connection), std::move(*header_parser_), caller);
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec == http::error::body_limit) return refuse_body_too_large();
    if (ec) return do_close();
    stream_.tcp().expires_never();
    Request request = parser_->release();
    keep_alive_ = request.keep_alive() && !context_->stopping;
    version_ = request.version();
    if (beast::websocket::is_upgrade(request)) return upgrade(std::move(request));
    handle(std::move(request));
  }

  void upgrade(Request request) {
    auto url = boost::urls::parse_origin_form(request.target());
    if (url && std::find(std::begin(kRealtimePaths), std::end(kRealtimePaths), url->path()) != std::end(kRealtimePaths))
      return upgrade_realtime(std::move(request), *url);
    if (!url || url->path() != kWebSocketPath) {
      keep_alive_ = false;
      return respond_error(Error{ErrorCode::not_found, "WebSocket connections go to /v1/ws"});
    }
    // A page of another site must not open a connection that acts with the user's token.
    if (!context_->origins.allows(request[http::field::origin], request[http::field::host])) {
      keep_alive_ = false;
      return respond_error(Error{ErrorCode::forbidden, "WebSocket connections from this origin are not allowed"});
    }
    auto token = url->params().find("token");
    if (token == url->params().end()) return start_websocket(std::move(request), std::nullopt);
    const std::string token_text = (*token).value;
    with_identity(token_text, [self = shared_from_this(), request = std::move(request)](Result<service::Identity> user) mutable {
      if (!user) {
        self->keep_alive_ = false;
        return self->respond_error(user.error());
      }
      self->start_websocket(std::move(request), std::move(*user));
    });
  }

  // A Supabase Realtime connection: the user's access token is the `apikey` parameter, checked
  // before the upgrade; a refusal is an HTTP answer with {"error": ...}, as the reference server's.
  void upgrade_realtime(Request request, const boost::urls::url_view& url) {
    keep_alive_ = false;  // whatever the answer, this connection is not read as HTTP again
    const auto refuse = [this](unsigned status, std::string why) { respond(status, json::object{{"error", std::move(why)}}); };
    if (!context_->origins.allows(request[http::field::origin], request[http::field::host]))
      return refuse(403, "WebSocket connections from this origin are not allowed");
    if (context_->stopping) return refuse(503, "the server is shutting down");
    std::string vsn;
    if (auto given = url.params().find("vsn"); given != url.params().end()) vsn = (*given).value;
    const auto serializer = realtime::serializer_named(vsn);
    if (!serializer) return refuse(400, "unknown vsn \"" + vsn + "\": this server speaks 1.0.0 and 2.0.0");
    auto key = url.params().find("apikey");
    if (key == url.params().end() || (*key).value.empty())
      return refuse(401, "send the user's access token as the apikey parameter");
    // supabase-js puts the key it was made with in every reconnect's URL and never renews it:
    // a key past its expiry still says who connects; each join then needs a live token.
    realtime::RealtimeStart start{*serializer, std::string((*key).value), true};
    authenticate_realtime_key(std::move(request), std::move(start), service::Expiry::enforced);
  }

  // Checks the key as live first, and only when that fails as possibly expired.
  void authenticate_realtime_key(Request request, realtime::RealtimeStart start, service::Expiry expiry) {
    const std::string key = start.key;
    context_->operations.services().authenticator.authenticate(
        key,
        [self = shared_from_this(), request = std::move(request), start = std::move(start), expiry](
            Result<service::Identity> user) mutable {
          net::dispatch(self->stream_.get_executor(), [self, request = std::move(request), start = std::move(start), expiry,
                                                       user = std::move(user)]() mutable {
            if (user) return self->start_websocket(std::move(request), std::move(*user), std::move(start));
            if (expiry == service::Expiry::ignored)
              return self->respond(401, json::object{{"error", user.error().message}});
            start.key_live = false;
            self->authenticate_realtime_key(std::move(request), std::move(start), service::Expiry::ignored);
          });
        },
        expiry);
  }

  void start_websocket(Request request, std::optional<service::Identity> user,
                       std::optional<realtime::RealtimeStart> realtime = std::nullopt) {
    // The connection keeps the strand it was accepted on, one of the listener's shared pool.
    auto executor = stream_.get_executor();
    const auto* strand = executor.target<WsSession::Executor>();
    auto session = std::make_shared<WsSession>(
        strand ? *strand : WsSession::Executor(static_cast<net::io_context&>(executor.context()).get_executor()),
        context_);
    if (realtime) session->speak_realtime(std::move(*realtime), *user);
    if (stream_.secure()) return session->run(stream_.release_tls(), std::move(request), user);
    session->run(stream_.release_plain(), std::move(request), user);
  }

  void handle(Request request) {
    // Another site's page that the list lets in gets the CORS headers that let a browser read
    // the answer; any other gets none, and its browser keeps the answer from it.
    const auto origin = request[http::field::origin];
    cors_origin_ = context_->origins.is_allowed_other_site(origin, request[http::field::host]) ? std::string(origin) : "";
    if (request.method() == http::verb::options && (request.target().starts_with("/v1/") || rest_)) return respond_preflight();
    if (request.target() == "/healthz" || request.target() == "/metrics") {
      if (request.method() != http::verb::get)
        return respond_error(Error{ErrorCode::method_not_allowed, std::string(request.method_string()) + " is not allowed on this route"});
      if (request.target() == "/healthz") return respond(200, json::object{{"status", "ok"}});
      return respond_text(200, metrics::server().render(), "text/plain; version=0.0.4");
    }
    if (rest_) return handle_rest(std::move(request));
    if (auto spent = spend_budget()) return respond_error(*spent);
    if (request.method() == http::verb::get && !request.target().starts_with("/v1/")) {
      auto url = boost::urls::parse_origin_form(request.target());
      if (url) {
        if (auto file = context_->web.find(url->path()))
          return respond_text(200, std::move(file->body), file->content_type, /*web_page=*/true);
      }
    }

    auto route = match_route(request.method_string(), request.target());
    if (route.outcome == RouteMatch::Outcome::no_route)
      return respond_error(Error{ErrorCode::not_found, "no route for " + std::string(request.target())});
    if (route.outcome == RouteMatch::Outcome::wrong_method)
      return respond_error(Error{ErrorCode::method_not_allowed, std::string(request.method_string()) + " is not allowed on this route"});
    if (context_->stopping) return respond_error(Error{ErrorCode::unavailable, "the server is shutting down"});

    if (route.auth == RouteAuth::none) return call(std::move(route), std::move(request), service::Caller{});
    // A copy: the request moves into the continuation while the token is being checked.
    auto bearer = bearer_token(request);
    if (!bearer && route.auth == RouteAuth::api_key)
      return respond_error(Error{ErrorCode::unauthorized, "send an API key: Authorization: Bearer pk_..."});
    if (!bearer) return respond_error(bearer.error());
    const std::string token(*bearer);
    if (route.auth == RouteAuth::api_key) return call_with_api_key(std::move(route), std::move(request), token);
    with_identity(std::string_view(token), [self = shared_from_this(), route = std::move(route), request = std::move(request)](
                             Result<service::Identity> user) mutable {
      if (!user) return self->respond_error(user.error());
      self->call(std::move(route), std::move(request), service::Caller{.user = user->user, .login = login_tag(user->login)});
    });
  }

  // Supabase's REST API (supabase/rest_api.hpp): the same request budget, shutdown and
  // authenticator as every route, with the apikey header standing in for a missing
  // Authorization; every answer, errors too, in PostgREST's shapes.
  void handle_rest(Request request) {
    if (auto spent = spend_budget()) return respond_rest(supabase::error_answer(supabase::from_parley(*spent)));
    if (context_->stopping)
      return respond_rest(supabase::error_answer(supabase::from_parley(Error{ErrorCode::unavailable, "the server is shutting down"})));
    auto token = supabase::rest_token(request);
    if (!token) return respond_rest(supabase::error_answer(token.error()));
    with_identity(std::string_view(*token), [self = shared_from_this(), request = std::move(request)](
                                                Result<service::Identity> user) mutable {
      if (!user) return self->respond_rest(supabase::error_answer(supabase::from_parley(user.error())));
      const service::Caller caller{.user = user->user, .login = login_tag(user->login)};
      supabase::serve_rest(self->context_->operations, caller, request, [self](supabase::RestAnswer answer) {
        net::post(self->stream_.get_executor(), [self, answer = std::move(answer)] { self->respond_rest(answer); });
      });
    });
  }

  void respond_rest(const supabase::RestAnswer& answer) {
    respond_text(answer.status, answer.body, "application/json; charset=utf-8", false, answer.headers);
  }

  // The server API: the key is checked against the store, then the operation runs with no user
  // of its own (each names the users it acts for).
  void call_with_api_key(RouteMatch route, Request request, const std::string& key) {
    context_->operations.services().api_keys.authenticate(
        key, [self = shared_from_this(), route = std::move(route), request = std::move(request)](Result<std::int64_t> id) mutable {
          net::dispatch(self->stream_.get_executor(), [self, route = std::move(route), request = std::move(request),
                                                       id = std::move(id)]() mutable {
            if (!id) return self->respond_error(id.error());
            self->call(std::move(route), std::move(request), service::Caller{});
          });
        });
  }

  void call(RouteMatch route, Request request, service::Caller caller) {
    json::object params = std::move(route.params);
    if (!request.body().empty()) {
      auto body = protocol::parse_object(request.body());
      if (!body) return respond_error(body.error());
      for (auto& [key, value] : *body)
        if (!params.contains(key)) params[key] = std::move(value);
    }
    Reply done = [self = shared_from_this(), status = route.success_status](Result<json::value> result) {
      net::post(self->stream_.get_executor(), [self, status, result = std::move(result)] {
        if (!result) return self->respond_error(result.error());
        self->respond(status, *result);
      });
    };
    if (route.op == "auth.login" || route.op == "auth.register") {
      auto limited = limit_sign_in(route.op, params, std::move(done));
      if (!limited) return;  // answered already
      done = std::move(*limited);
    }
    context_->operations.call(route.op, caller, params, std::move(done));
  }

  // Sign-in limits (sign_in_limits.hpp), by account and by the address the request came from.
  // Answers `rate_limited` and returns nullopt when the request may not go ahead; otherwise
  // returns `done`, wrapped so that a wrong password is counted.
  std::optional<Reply> limit_sign_in(std::string_view op, const json::object& params, Reply done) {
    boost::system::error_code ec;
    const auto peer = stream_.tcp().socket().remote_endpoint(ec);
    const std::string address = ec ? std::string("unknown") : peer.address().to_string();
    auto& limits = context_->sign_in;
    std::int64_t wait = 0;
    std::string account;
    if (op == "auth.register") {
      wait = limits.register_wait(address);
    } else {
      if (const auto* username = params.if_contains("username"); username && username->is_string())
        account = domain::normalize_username(std::string(username->get_string())).value_or(std::string(username->get_string()));
      wait = limits.login_wait(account, address);
    }
    if (wait > 0) {
      done(std::unexpected(Error{ErrorCode::rate_limited, op == "auth.register" ? "too many registrations from this address; try again later"
                                                                               : "too many failed sign-ins; try again later",
                                 wait}));
      return std::nullopt;
    }
    if (op == "auth.register") return done;
    return Reply([self = shared_from_this(), account, address, done = std::move(done)](Result<json::value> result) {
      if (!result && result.error().code == ErrorCode::invalid_credentials) self->context_->sign_in.login_failed(account, address);
      done(std::move(result));
    });
  }

  // Takes one request from the connection's budget; the error to answer once it is spent.
  std::optional<Error> spend_budget() {
    std::int64_t retry_after_ms = 0;
    if (budget_.try_take(retry_after_ms)) return std::nullopt;
    return Error{ErrorCode::rate_limited, "too many requests on this connection; slow down", retry_after_ms};
  }

  static Result<std::string_view> bearer_token(const http::request_header<>& request) {
    auto header = request[http::field::authorization];
    constexpr std::string_view kBearer = "Bearer ";
    if (header.size() <= kBearer.size() || !header.starts_with(kBearer))
      return fail(ErrorCode::unauthorized, "send an access token: Authorization: Bearer <token>");
    return header.substr(kBearer.size());
  }

  // Runs `then` with who `token` speaks for, on this session's executor: at once for most
  // tokens; later, when the authenticator waits for the store or the app's key set.
  template <class Then>
  void with_identity(Result<std::string_view> token, Then then) {
    if (!token) return then(Result<service::Identity>(std::unexpected(token.error())));
    context_->operations.services().authenticator.authenticate(
        *token, [self = shared_from_this(), then = std::move(then)](Result<service::Identity> user) mutable {
          net::dispatch(self->stream_.get_executor(),
                        [then = std::move(then), user = std::move(user)]() mutable { then(std::move(user)); });
        });
  }

  void respond_error(const Error& error) {
    respond(protocol::http_status(error.code), json::object{{"error", protocol::error_body(error)}});
  }

  void respond(unsigned status, const json::value& body) {
    respond_text(status, json::serialize(body), "application/json");
  }

  // The answer to a browser's preflight: which methods and headers another allowed site may use.
  void respond_preflight() {
    if (cors_origin_.empty()) return respond_error(Error{ErrorCode::forbidden, "requests from this origin are not allowed"});
    respond_text(204, "", "text/plain");
  }

  void respond_text(unsigned status, std::string body, std::string_view content_type, bool web_page = false,
                    const std::vector<std::pair<std::string, std::string>>& extra_headers = {}) {
    auto response = std::make_shared<http::response<http::string_body>>(static_cast<http::status>(status), version_);
    response->set(http::field::server, "parleyd");
    response->set(http::field::content_type, content_type);
    response->set(http::field::cache_control, "no-store");
    response->set("X-Content-Type-Options", "nosniff");
    response->set("Referrer-Policy", "no-referrer");
    if (web_page) {
      // The web client runs only its own files: no inline script, no other site's, no framing.
      response->set("Content-Security-Policy", kWebContentSecurityPolicy);
      response->set(http::field::x_frame_options, "DENY");
    }
    if (!cors_origin_.empty()) {
      response->set(http::field::access_control_allow_origin, cors_origin_);
      response->set(http::field::vary, "Origin");
      response->set(http::field::access_control_allow_methods, "GET, POST, PUT, PATCH, DELETE");
      // supabase-js sends headers of its own, and reads Content-Range from the answer.
      response->set(http::field::access_control_allow_headers, rest_ ? supabase::kCorsAllowHeaders : "Authorization, Content-Type");
      if (rest_) response->set(http::field::access_control_expose_headers, supabase::kCorsExposeHeaders);
      response->set(http::field::access_control_max_age, "600");
    }
    for (const auto& [name, value] : extra_headers) response->set(name, value);
    response->keep_alive(keep_alive_);
    response->body() = std::move(body);
    response->prepare_payload();
    http::async_write(stream_, *response,
                      [self = shared_from_this(), response](beast::error_code ec, std::size_t) {
                        if (ec || !self->keep_alive_) return self->do_close();
                        self->do_read();
                      });
  }

  // RFC 9112 §9.6: half-close, then read and discard what the client still sends, then close.
  // Closing at once while a refused body is still arriving makes the kernel answer its bytes
  // with a reset, and a reset can destroy the 413 (or 400, 401, 429) before the client reads it.
  // The discarding is bounded in bytes and in time: after either, the socket closes anyway.
  void do_close() {
    beast::error_code ec;
    stream_.tcp().socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
    if (ec) return;
    linger_left_ = kLingerBytes;
    stream_.tcp().expires_after(kLingerTime);
    do_discard(std::make_shared<std::array<char, kDiscardChunk>>());
  }

  void do_discard(std::shared_ptr<std::array<char, kDiscardChunk>> chunk) {
    stream_.async_read_some(net::buffer(*chunk), [self = shared_from_this(), chunk](beast::error_code ec, std::size_t n) {
      // The end of the client's stream, the time limit, or the byte limit: the session ends here.
      if (ec || n >= self->linger_left_) return;
      self->linger_left_ -= n;
      self->do_discard(chunk);
    });
  }



  HttpStream stream_;
  beast::flat_buffer buffer_;
  std::shared_ptr<GatewayContext> context_;
  std::optional<HeaderParser> header_parser_;
  std::optional<http::request_parser<http::string_body>> parser_;
  TokenBucket budget_;
  std::string cors_origin_;  // the request's Origin, when it is another site the list lets in
  bool keep_alive_ = true;
  bool rest_ = false;  // the request is one of Supabase's REST API (/rest/v1/)
  unsigned version_ = 11;
  std::size_t linger_left_ = 0;  // bytes still to discard while closing
};

}  // namespace

void serve_http(net::ip::tcp::socket&& socket, std::shared_ptr<GatewayContext> context) {
  if (!context->certificate) {
    std::make_shared<HttpSession>(HttpStream(beast::tcp_stream(std::move(socket))), std::move(context))->run();
    return;
  }
  auto tls_context = context->certificate->current();
  const auto timeout = context->options.http_read_timeout;
  start_tls(std::move(socket), *tls_context, timeout, [context = std::move(context)](HttpStream stream) mutable {
    std::make_shared<HttpSession>(std::move(stream), std::move(context))->run();
  });
}

}  // namespace parley::gateway
