#pragma once
// Finds WebSocket connections that went silent, with one timer for the whole gateway rather than
// one per connection: an idle connection holds no timer and no pending wait. Every period it
// tells each connection to check itself; a connection that heard nothing for a whole period
// pings, and one that heard nothing for the next one as well is taken as gone.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/intrusive/list.hpp>
#include <chrono>
#include <mutex>

namespace parley::gateway {

class Keepalive {
 public:
  class Member : public boost::intrusive::list_base_hook<> {
   public:
    virtual ~Member() = default;
    // Called on the timer's thread while the member list is locked: post, never block, and
    // never release the last reference to a member (its destructor calls remove()).
    virtual void keepalive_tick() = 0;
  };

  Keepalive(boost::asio::io_context& io, std::chrono::milliseconds period) : timer_(io), period_(period) {}

  void add(Member& member);
  void remove(Member& member);
  void start();
  void stop();

 private:
  void arm();

  std::mutex mutex_;
  boost::intrusive::list<Member, boost::intrusive::constant_time_size<false>> members_;
  boost::asio::steady_timer timer_;
  std::chrono::milliseconds period_;
  bool stopped_ = false;
};

}  // namespace parley::gateway
