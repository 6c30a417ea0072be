#pragma once
// The product's limits on what users may create. Each is a deliberate trade-off between what a
// person needs and what one request may cost the server.
#include <cstddef>
#include <cstdint>

namespace parley::domain::limits {

inline constexpr std::size_t kUsernameMin = 3;
inline constexpr std::size_t kUsernameMax = 32;
inline constexpr std::size_t kPasswordMin = 8;
inline constexpr std::size_t kPasswordMax = 256;       // argon2 hashes any length; cap the work
inline constexpr std::size_t kDisplayNameMaxBytes = 128;
inline constexpr std::size_t kRoomNameMaxBytes = 128;
inline constexpr std::size_t kTextMaxBytes = 16 * 1024;  // a long message, not a document
inline constexpr std::size_t kClientMsgIdMax = 64;
inline constexpr std::size_t kAttachmentNameMaxBytes = 255;
inline constexpr std::size_t kMimeTypeMax = 127;
// Initial members named when a group is created; more are added one by one.
inline constexpr std::size_t kInitialMembersMax = 256;
// Push targets one user may have: a phone, a tablet and a few browsers need far fewer; the
// bound caps what one message may cost (one notification per target of each member). A
// registration over it answers `conflict` until one is removed.
inline constexpr std::size_t kPushTargetsPerUserMax = 20;
// The lengths Matrix's pushers allow, and a generous bound on a browser's endpoint URL.
inline constexpr std::size_t kPushAppIdMax = 64;
inline constexpr std::size_t kPushKeyMaxBytes = 512;
inline constexpr std::size_t kPushUrlMaxBytes = 2048;
// A reply carries the start of the message it answers: enough for a line in a bubble.
inline constexpr std::size_t kReplyPreviewChars = 100;
// A reaction is one emoji (docs/protocol.md, "Reactions"): one grapheme cluster of at most this
// many bytes (a family emoji with skin tones is 35).
inline constexpr std::size_t kReactionMaxBytes = 64;
// Distinct emoji one member may put on one message, and distinct emoji one message may hold:
// bounds on what one message costs to show.
inline constexpr std::int64_t kReactionsPerMemberMax = 20;
inline constexpr std::int64_t kDistinctReactionsMax = 50;
// How long after sending a message its sender may edit it, unless the server sets another
// window (--edit-window): two days, as Telegram allows in groups.
inline constexpr std::int64_t kEditWindowDefaultSeconds = 2 * 24 * 3600;
inline constexpr int kHistoryPageDefault = 50;
inline constexpr int kHistoryPageMax = 100;

}  // namespace parley::domain::limits
