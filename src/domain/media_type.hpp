#pragma once
// What a file's first bytes say it is, and whether that fits the type its uploader declared.
// Pure functions over the content's first bytes: the magic numbers of common image, audio and
// video formats and of executables. An image, audio or video type must be backed by bytes of
// that family, so that a member who opens "cat.png" inline gets a picture and never a program;
// any other declared type (a `file` message's document, archive, ...) is taken as declared,
// unless it claims to be media.
#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace parley::domain {

// Enough of the content to recognise every format below (MPEG-TS excepted, which needs 189).
inline constexpr std::size_t kSniffBytes = 32;

struct ContentSignature {
  std::string_view format;  // "PNG", "ELF executable", ...; empty when not recognised
  bool image = false;       // the format can hold what the family names
  bool audio = false;
  bool video = false;
  bool executable = false;
};

[[nodiscard]] ContentSignature detect_content(std::span<const unsigned char> head);

// "Image/PNG; charset=x" -> "image/png": lower case, parameters dropped. invalid_payload when it
// is not type/subtype of printable ASCII within domain::limits::kMimeTypeMax.
[[nodiscard]] Result<std::string> normalize_mime_type(std::string_view declared);

// `mime` is normalized. unsupported_media_type, with a message saying what the bytes are, when
// an image/*, audio/* or video/* type is declared for bytes not of that family, or when the
// bytes are an executable and the type says media.
[[nodiscard]] Result<void> check_content_matches(std::string_view mime, std::span<const unsigned char> head);

// image/*, audio/* and video/* are shown inline by browsers; everything else is a download.
[[nodiscard]] bool is_inline_media(std::string_view mime);

}  // namespace parley::domain
