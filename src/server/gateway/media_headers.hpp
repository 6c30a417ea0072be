#pragma once
// The header values of a file download, as pure functions: Range (RFC 9110 §14), ETag
// matching, and Content-Disposition with a name in any language (RFC 6266, RFC 8187).
#include <cstdint>
#include <string>
#include <string_view>

namespace parley::gateway {

struct ByteRange {
  enum class Kind { whole, partial, unsatisfiable };
  Kind kind = Kind::whole;
  std::int64_t first = 0;  // for partial: the first and last byte, inclusive
  std::int64_t last = 0;
  [[nodiscard]] std::int64_t length() const { return last - first + 1; }
};

// What a Range header asks of a file of `size` bytes. A single range "bytes=a-b", "bytes=a-" or
// "bytes=-n" is served; a header that is absent, malformed, in another unit or asks for several
// ranges gets the whole file, as RFC 9110 allows a server to answer.
[[nodiscard]] ByteRange parse_byte_range(std::string_view header, std::int64_t size);

// Whether an If-None-Match header (a list of entity tags, or "*") matches `etag` (quoted).
// Weak tags match too: the comparison for If-None-Match is the weak one.
[[nodiscard]] bool etag_matches(std::string_view if_none_match, std::string_view etag);

// `inline` or `attachment`, with the name as an ASCII fallback and, when it is not plain ASCII,
// UTF-8 percent-encoded in filename*.
[[nodiscard]] std::string content_disposition(bool inline_display, std::string_view name);

}  // namespace parley::gateway
