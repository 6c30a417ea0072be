#pragma once
// Which web pages may use this server from a browser. A browser sends the page's origin with
// every WebSocket upgrade and every cross-origin request, and a page on another site must not
// act with a user's tokens through it. Native apps send no Origin and are always allowed; so is
// the server's own origin (the web client it serves). `--allowed-origins` adds others, or "*".
#include <string>
#include <string_view>
#include <vector>

namespace parley::gateway {

class OriginPolicy {
 public:
  // Each entry an origin as browsers write it ("https://app.example.com", no path), or "*".
  explicit OriginPolicy(std::vector<std::string> allowed);

  // `origin`: the request's Origin header (empty when it has none); `host`: its Host header.
  [[nodiscard]] bool allows(std::string_view origin, std::string_view host) const;
  // Whether `origin` is another site that the list lets in: such requests get CORS headers.
  [[nodiscard]] bool is_allowed_other_site(std::string_view origin, std::string_view host) const;

 private:
  [[nodiscard]] static bool same_site(std::string_view origin, std::string_view host);
  std::vector<std::string> allowed_;
  bool any_ = false;
};

}  // namespace parley::gateway
