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
inline constexpr int kHistoryPageDefault = 50;
inline constexpr int kHistoryPageMax = 100;

}  // namespace parley::domain::limits
