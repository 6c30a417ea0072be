#include "server/gateway/origin_policy.hpp"

#include <algorithm>

namespace parley::gateway {

OriginPolicy::OriginPolicy(std::vector<std::string> allowed) : allowed_(std::move(allowed)) {
  any_ = std::find(allowed_.begin(), allowed_.end(), "*") != allowed_.end();
  // Browsers send an origin without a trailing slash; a configured one with it still matches.
  for (auto& origin : allowed_)
    while (origin.size() > 1 && origin.back() == '/') origin.pop_back();
}

bool OriginPolicy::same_site(std::string_view origin, std::string_view host) {
  if (host.empty()) return false;
  for (std::string_view scheme : {"http://", "https://"})
    if (origin.size() == scheme.size() + host.size() && origin.starts_with(scheme) && origin.ends_with(host)) return true;
  return false;
}

bool OriginPolicy::is_allowed_other_site(std::string_view origin, std::string_view host) const {
  if (origin.empty() || same_site(origin, host)) return false;
  return any_ || std::find(allowed_.begin(), allowed_.end(), origin) != allowed_.end();
}

bool OriginPolicy::allows(std::string_view origin, std::string_view host) const {
  return origin.empty() || same_site(origin, host) || is_allowed_other_site(origin, host);
}

}  // namespace parley::gateway
