#include "server/gateway/keepalive.hpp"

namespace parley::gateway {

void Keepalive::add(Member& member) {
  std::lock_guard lock(mutex_);
  members_.push_back(member);
}

void Keepalive::remove(Member& member) {
  std::lock_guard lock(mutex_);
  if (member.is_linked()) members_.erase(members_.iterator_to(member));
}

void Keepalive::start() { arm(); }

void Keepalive::stop() {
  std::lock_guard lock(mutex_);
  stopped_ = true;
  timer_.cancel();
}

void Keepalive::arm() {
  timer_.expires_after(period_);
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    std::lock_guard lock(mutex_);
    if (stopped_) return;
    for (auto& member : members_) member.keepalive_tick();
    arm();
  });
}

}  // namespace parley::gateway
