// Feeds what another node could publish over NATS to the node-to-node wire codec
// (bus/nats/event_codec.hpp, bus/nats/presence_codec.hpp): the same bytes as an event and as a
// presence message. Beyond "no crash", it checks that:
//  - a presence message read is written back to the very same bytes (its layout has one way to
//    write each message);
//  - an event read, written again in its own version, reads back the same, and is then written
//    to the same bytes (flag bytes other than 0 and 1 read as 0, so the first write may differ);
//  - an event of the current version, written in the previous one, still reads back with what
//    that version carries: a rolling upgrade must not drop it;
//  - a decoded event names no connection of the node that sent it.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "bus/nats/event_codec.hpp"
#include "bus/nats/presence_codec.hpp"
#include "fuzz_support.hpp"

namespace {

using namespace parley;
using namespace parley::bus;
using fuzz::require;

// What both versions carry.
bool same_in_previous_version(const Event& a, const Event& b) {
  const bool same_membership =
      a.membership.has_value() == b.membership.has_value() &&
      (!a.membership || (a.membership->room == b.membership->room && a.membership->user == b.membership->user &&
                         a.membership->joined == b.membership->joined));
  return a.audience == b.audience && a.target == b.target && a.rooms == b.rooms && a.skip_user == b.skip_user &&
         *a.frame == *b.frame && same_membership;
}

bool same_event(const Event& a, const Event& b) {
  return same_in_previous_version(a, b) && a.seq == b.seq && a.author == b.author && a.ended_login == b.ended_login &&
         (!a.membership || a.membership->since_seq == b.membership->since_seq);
}

void check_event(std::string_view bytes) {
  const auto event = decode_event(bytes);
  if (!event) return;
  require(event->skip_connection == 0 && event->from_other_node, "a decoded event is marked as from another node");
  const auto version = static_cast<std::uint8_t>(bytes[0]);
  const std::string written = encode_event(*event, version);
  const auto again = decode_event(written);
  require(again && same_event(*event, *again), "an event written again reads back the same");
  require(encode_event(*again, version) == written, "an event is written the same way twice");

  if (version != kWireVersion) return;
  const auto previous = decode_event(encode_event(*event, kOldestWireVersion));
  require(previous && same_in_previous_version(*event, *previous), "the previous version carries what it has");
}

void check_presence(std::string_view bytes) {
  const auto presence = decode_presence(bytes);
  if (!presence) return;
  require(encode_presence(*presence) == bytes, "a presence message is written back to the same bytes");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes = fuzz::as_text(data, size);
  check_event(bytes);
  check_presence(bytes);
  return 0;
}
