// loopback-ceiling: what the kernel alone allows on this machine, with no parleyd at all. One
// thread, pinned to the server's CPU, writes frames of a delivery's size to many loopback TCP
// connections in turn, as fast as it can; a second thread, on the bench's own CPU, reads them.
// The CPU that thread spends per send is the floor under any server's cost per delivery, and
// from it follows the most messages per second that rooms of a given size could ever carry
// here: every message costs one acknowledgement and one delivery per other member, each its own
// send whenever a connection has only that one frame waiting.
#include "core/unique_fd.hpp"
#include "cpu_time.hpp"
#include "scenarios.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <functional>
#include <iostream>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>

namespace parley::bench {
namespace {

// A new socket, or an error that says which call failed.
core::UniqueFd checked(int fd, const char* what) {
  if (fd < 0) throw std::runtime_error(std::string("loopback-ceiling: ") + what + ": " + std::strerror(errno));
  return core::UniqueFd(fd);
}

struct Pair {
  core::UniqueFd sender;    // the server's side
  core::UniqueFd receiver;  // the client's side
};

void configure(int fd) {
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);  // as parleyd sets it
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
}

std::vector<Pair> connect_pairs(int count) {
  auto listener = checked(::socket(AF_INET, SOCK_STREAM, 0), "socket");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (::bind(listener.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(listener.get(), SOMAXCONN) != 0 ||
      ::getsockname(listener.get(), reinterpret_cast<sockaddr*>(&address), &length) != 0)
    throw std::runtime_error(std::string("loopback-ceiling: listen: ") + std::strerror(errno));
  std::vector<Pair> pairs;
  pairs.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    auto client = checked(::socket(AF_INET, SOCK_STREAM, 0), "socket");
    if (::connect(client.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
      throw std::runtime_error(std::string("loopback-ceiling: connect: ") + std::strerror(errno));
    auto server = checked(::accept(listener.get(), nullptr, nullptr), "accept");
    configure(server.get());
    configure(client.get());
    pairs.push_back({std::move(server), std::move(client)});
  }
  return pairs;
}

// Reads everything that arrives until told to stop, so that no sender ever meets a full buffer.
class Drain {
 public:
  explicit Drain(const std::vector<Pair>& pairs) : epoll_(checked(::epoll_create1(0), "epoll_create1")) {
    for (const auto& p : pairs) {
      epoll_event e{};
      e.events = EPOLLIN;
      e.data.fd = p.receiver.get();
      ::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, p.receiver.get(), &e);
    }
    thread_ = std::thread([this] { run(); });
  }
  Drain(const Drain&) = delete;
  Drain& operator=(const Drain&) = delete;
  ~Drain() {
    stop_ = true;
    thread_.join();
  }

 private:
  void run() {
    std::vector<epoll_event> ready(256);
    std::vector<char> buffer(1 << 16);
    while (!stop_) {
      const int n = ::epoll_wait(epoll_.get(), ready.data(), static_cast<int>(ready.size()), 50);
      for (int i = 0; i < n; ++i)
        while (::read(ready[static_cast<std::size_t>(i)].data.fd, buffer.data(), buffer.size()) > 0) {
        }
    }
  }

  core::UniqueFd epoll_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

struct Round {
  std::int64_t sends = 0;
  double wall_seconds = 0;
  double cpu_seconds = 0;

  [[nodiscard]] double cpu_us_per_send() const {
    return sends > 0 ? cpu_seconds / static_cast<double>(sends) * 1e6 : 0;
  }
};

// Sends `frames_per_send` frames in each send, to every connection in turn, for `seconds`.
Round send_round(const std::vector<Pair>& pairs, int frame_bytes, int frames_per_send, double seconds) {
  const std::string payload(static_cast<std::size_t>(frame_bytes * frames_per_send), 'x');
  Round r;
  const std::int64_t start = now_ns();
  const std::int64_t end = start + static_cast<std::int64_t>(seconds * 1e9);
  const double cpu_start = thread_cpu_seconds();
  std::int64_t now = start;
  while (now < end) {
    for (const auto& p : pairs)
      if (::send(p.sender.get(), payload.data(), payload.size(), MSG_NOSIGNAL) > 0) ++r.sends;
    now = now_ns();
  }
  r.cpu_seconds = thread_cpu_seconds() - cpu_start;
  r.wall_seconds = static_cast<double>(now - start) / 1e9;
  return r;
}

}  // namespace

double measure_loopback_floor(int server_cpu, int connections, int frame_bytes, double seconds) {
  auto pairs = connect_pairs(connections);
  Drain drain(pairs);
  Round r;
  on_cpu(server_cpu, [&] { r = send_round(pairs, frame_bytes, 1, seconds); });
  return r.cpu_us_per_send();
}

int run_loopback_ceiling(const CommonOptions& common, const LoopbackCeilingOptions& o) {
  Env env(common, "loopback-ceiling");
  boost::json::array batches;
  for (int b : o.frames_per_send) batches.push_back(b);
  env.report.parameters() = {{"connections", o.connections}, {"frame_bytes", o.frame_bytes},
                             {"frames_per_send", batches},   {"seconds", o.seconds},
                             {"room_size", o.room_size},     {"sender_cpu", common.server.cpu}};
  auto pairs = connect_pairs(o.connections);
  Drain drain(pairs);

  // Run as the server would: on its CPU, apart from the drain, which stays on the bench's.
  std::int64_t total_sends = 0;
  on_cpu(common.server.cpu, [&] {
    for (int frames : o.frames_per_send) {
      const Round r = send_round(pairs, o.frame_bytes, frames, o.seconds);
      total_sends += r.sends;
      std::string suffix;
      if (frames != 1) suffix.append("_").append(std::to_string(frames)).append("_frames_per_send");
      env.report.figure("sends_per_s" + suffix, static_cast<double>(r.sends) / r.wall_seconds, "/s");
      env.report.figure("frames_per_s" + suffix, static_cast<double>(r.sends * frames) / r.wall_seconds, "/s");
      if (r.sends == 0) continue;
      const double cpu_us_per_send = r.cpu_us_per_send();
      env.report.figure("cpu_us_per_send" + suffix, cpu_us_per_send, "µs");
      if (frames == 1)
        env.report.figure("ceiling_msgs_per_s_in_rooms_of_" + std::to_string(o.room_size),
                          1e6 / (cpu_us_per_send * o.room_size), "msg/s");
    }
  });
  env.report.check("frames_sent", total_sends > 0, std::to_string(total_sends) + " sends");
  std::cout << std::flush;
  return env.finish() ? 0 : 1;
}

}  // namespace parley::bench
