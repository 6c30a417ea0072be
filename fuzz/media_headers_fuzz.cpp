// Feeds the header values of a file download (server/gateway/media_headers.hpp): the first 8
// bytes are the file's size, then come a Range header, an If-None-Match header and a file name,
// one a line. Beyond "no crash", it checks that:
//  - a partial range lies inside the file and is not empty, and written back as "bytes=a-b"
//    it reads the same;
//  - an If-None-Match that lists the file's tag, weak or strong, matches it;
//  - a Content-Disposition is printable ASCII alone (a name cannot end the header or start
//    another), its quoted name has no quote or backslash, and its filename* decodes to the name.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "server/gateway/media_headers.hpp"

namespace {

using namespace parley::gateway;
using parley::fuzz::require;

void check_range(std::string_view header, std::int64_t size) {
  const ByteRange range = parse_byte_range(header, size);
  if (range.kind != ByteRange::Kind::partial) return;
  require(range.first >= 0 && range.first <= range.last && range.last < size, "a partial range lies inside the file");
  const ByteRange again =
      parse_byte_range("bytes=" + std::to_string(range.first) + "-" + std::to_string(range.last), size);
  require(again.kind == range.kind && again.first == range.first && again.last == range.last,
          "a range written back reads the same");
}

void check_etag(std::string_view if_none_match) {
  const std::string etag = "\"0123abcd\"";
  (void)etag_matches(if_none_match, etag);
  const std::string listed = std::string(if_none_match) + ", W/" + etag;
  require(etag_matches(listed, etag), "a listed tag matches");
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void check_disposition(bool inline_display, std::string_view name) {
  const std::string header = content_disposition(inline_display, name);
  for (unsigned char c : header) require(c >= 0x20 && c < 0x7F, "a Content-Disposition is printable ASCII");
  const std::string_view start = inline_display ? "inline; filename=\"" : "attachment; filename=\"";
  require(header.starts_with(start), "a Content-Disposition starts with its kind and name");
  const auto quote = header.find('"', start.size());
  require(quote == start.size() + name.size(), "the quoted name is the name's length, with no quote inside");
  require(header.substr(start.size(), name.size()).find('\\') == std::string::npos, "the quoted name has no backslash");

  constexpr std::string_view kExtended = "; filename*=UTF-8''";
  const auto extended = header.find(kExtended, quote);
  if (extended == std::string::npos) {
    // A quote or a backslash becomes "_" in the quoted name; with no filename* beside it, a
    // name otherwise plain ASCII is not given exactly.
    if (name.find_first_of("\"\\") == std::string_view::npos)
      require(header.substr(start.size(), name.size()) == name, "a plain name is given as it is");
    return;
  }
  std::string decoded;
  const std::string_view encoded = std::string_view(header).substr(extended + kExtended.size());
  for (std::size_t i = 0; i < encoded.size(); ++i) {
    if (encoded[i] != '%') {
      decoded += encoded[i];
      continue;
    }
    require(i + 2 < encoded.size(), "an escape has two digits");
    const int high = hex_value(encoded[i + 1]), low = hex_value(encoded[i + 2]);
    require(high >= 0 && low >= 0, "an escape is upper-case hex");
    decoded += static_cast<char>(high * 16 + low);
    i += 2;
  }
  require(decoded == name, "filename* decodes to the name");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::uint64_t raw_size = 0;
  if (size < sizeof raw_size) return 0;
  std::memcpy(&raw_size, data, sizeof raw_size);
  const auto file_size = static_cast<std::int64_t>(raw_size >> 1);
  const auto [range, rest] = parley::fuzz::split_at(parley::fuzz::as_text(data + 8, size - 8), '\n');
  const auto [if_none_match, name] = parley::fuzz::split_at(rest, '\n');
  check_range(range, file_size);
  check_etag(if_none_match);
  check_disposition((raw_size & 1) != 0, name);
  return 0;
}
