// Feeds media-type sniffing: a declared Content-Type, a newline, then a file's first bytes, to
// the server's checks of an upload (domain/media_type.hpp) and to the SDK's choice of a
// message type for a file (client/media_types.hpp), which reads the declared line as a file name.
// Beyond "no crash", it checks that:
//  - what the bytes are is decided by their first kSniffBytes alone: the upload service keeps
//    no more of a file to check it;
//  - an executable never passes as an image, audio or video, whatever type is declared;
//  - a normalized type is lower case and normalizes to itself;
//  - the SDK's message type for a type is one that the type fits, and fits what the server
//    shows inline.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "client/media_types.hpp"
#include "domain/media_type.hpp"
#include "fuzz_support.hpp"

namespace {

using namespace parley;
using fuzz::require;

bool same_signature(const domain::ContentSignature& a, const domain::ContentSignature& b) {
  return a.format == b.format && a.image == b.image && a.audio == b.audio && a.video == b.video &&
         a.executable == b.executable;
}

void check_sniffing(std::string_view declared, std::span<const unsigned char> content) {
  const auto head = content.first(std::min(content.size(), domain::kSniffBytes));
  const domain::ContentSignature found = domain::detect_content(content);
  require(same_signature(found, domain::detect_content(head)), "the first bytes alone decide the format");

  auto mime = domain::normalize_mime_type(declared);
  if (!mime) return;
  require(std::ranges::none_of(*mime, [](char c) { return c >= 'A' && c <= 'Z'; }), "a normalized type is lower case");
  auto again = domain::normalize_mime_type(*mime);
  require(again && *again == *mime, "a normalized type normalizes to itself");
  const bool accepted = domain::check_content_matches(*mime, head).has_value();
  if (found.executable && domain::is_inline_media(*mime)) require(!accepted, "an executable never passes as media");
}

void check_sdk_choice(std::string_view name) {
  const std::string mime = client::mime_type_for(std::string(name));
  const std::string type = client::message_type_for(mime);
  require(client::type_fits(type, mime), "a file's message type fits its media type");
  require((type != "file") == domain::is_inline_media(mime), "a media message is shown inline");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto [declared, rest] = fuzz::split_at(fuzz::as_text(data, size), '\n');
  const std::span<const unsigned char> content(reinterpret_cast<const unsigned char*>(rest.data()), rest.size());
  check_sniffing(declared, content);
  check_sdk_choice(declared);
  return 0;
}
