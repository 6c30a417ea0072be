// The scenarios. Each runs against its own server (Env), prints a table, writes its report
// and returns the process exit code: 0 when it completed and its checks held.
#pragma once

#include <string>
#include <vector>

#include "env.hpp"
#include "login_flood.hpp"

namespace parley::bench {

struct ConnectionsOptions {
  int connections = 10000;
  int room_size = 10;
  int settle_ms = 2000;  // after the last connect, before memory is read again
};

struct DmLatencyOptions {
  int pairs = 100;
  double rate = 1000;      // messages per second, over all pairs
  double seconds = 10;
  double warmup_seconds = 1;  // sent but not recorded: connection and cache warm-up
  LoginFloodOptions wrong_logins;  // a password guesser beside the chat (login_flood.hpp)
};

struct ThroughputOptions {
  int rooms = 200;
  int room_size = 10;
  std::vector<double> steps = {1000, 2000, 5000, 7500, 10000, 20000, 50000, 100000};
  double step_seconds = 5;
  double p99_limit_ms = 50;
  double min_achieved = 0.9;  // of the target rate
  double floor_seconds = 3;   // loopback-ceiling's floor measured first, in the same run; 0: none
};

struct FanoutOptions {
  int members = 1000;
  double rate = 10;       // messages per second from the one sender
  double seconds = 10;
  int burst = 1000;       // then this many at once: how fast the room drains (a second or so)
  // Members more, never connected, each with a push target of kind `http` at push_gateway:
  // every message then notifies each of them through the outbox (docs/push.md). With a
  // gateway that never answers, this measures what push costs the message path.
  int offline_members = 0;
  std::string push_gateway;
};

struct StormOptions {
  int clients = 1000;     // those that drop; as many again stay and keep sending
  double rate = 200;      // messages per second from those who stay
  int down_ms = 1000;     // how long the dropped clients stay away
  int sync_limit = 100;   // messages per room per sync page
};

struct TypingPresenceOptions {
  int rooms = 100;
  int room_size = 10;
  double rate = 500;      // ephemeral operations per second
  double seconds = 10;
};

struct LoopbackCeilingOptions {
  int connections = 2000;                 // as many as throughput's 200 rooms of 10
  int frame_bytes = 200;                  // about a message event of throughput's, header included
  std::vector<int> frames_per_send = {1, 16};  // 1: one frame waiting; more: frames coalesced
  double seconds = 3;                     // per entry of frames_per_send
  int room_size = 10;                     // sends per message: an ack and a delivery per other member
};

struct BacklogOptions {
  int rooms = 100;              // rooms holding the reader's unread backlog
  std::int64_t unread = 150000; // messages over those rooms, none read
  std::int64_t deep = 200000;   // messages more in one room, synced from its start
  int repeats = 50;             // rooms.list and sync requests timed
  int sync_limit = 500;         // messages per room per sync page
};

struct CatchUpOptions {
  int rooms = 1000;             // the away user's rooms
  int messages_per_room = 100;  // sent into each while they are away
};

struct TransferOptions {
  int mib = 50;        // the file's size
  int uploads = 5;     // times it is uploaded, one after another
  int downloads = 5;   // then times the last upload is downloaded
};

struct WriterFloorOptions {
  int rooms = 2000;      // as throughput's rooms of one
  int room_size = 1;
  int batch = 100;       // messages per commit: about what parleyd's group commit gathers at 20,000/s
  double seconds = 5;
  bool durable = true;   // each commit synced before it returns, as parleyd's default
};

// loopback-ceiling's first figure on its own, for a scenario that sets its server's cost beside
// it: the µs of CPU one thread on `server_cpu` spends per send of one `frame_bytes` frame to one
// of `connections` loopback connections in turn, over `seconds`; 0 if no send went out.
[[nodiscard]] double measure_loopback_floor(int server_cpu, int connections, int frame_bytes, double seconds);

int run_connections(const CommonOptions& common, const ConnectionsOptions& o);
int run_dm_latency(const CommonOptions& common, const DmLatencyOptions& o);
int run_throughput(const CommonOptions& common, const ThroughputOptions& o);
int run_fanout(const CommonOptions& common, const FanoutOptions& o);
int run_reconnect_storm(const CommonOptions& common, const StormOptions& o);
int run_typing_presence(const CommonOptions& common, const TypingPresenceOptions& o);
int run_loopback_ceiling(const CommonOptions& common, const LoopbackCeilingOptions& o);
int run_backlog(const CommonOptions& common, const BacklogOptions& o);
int run_transfer(const CommonOptions& common, const TransferOptions& o);
int run_catch_up(const CommonOptions& common, const CatchUpOptions& o);
int run_writer_floor(const CommonOptions& common, const WriterFloorOptions& o);

}  // namespace parley::bench
