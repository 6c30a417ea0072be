#include "domain/media_type.hpp"

#include <algorithm>
#include <cctype>

#include "domain/limits.hpp"

namespace parley::domain {
namespace {

using Bytes = std::span<const unsigned char>;

bool starts_with(Bytes head, std::string_view magic, std::size_t at = 0) {
  if (head.size() < at + magic.size()) return false;
  return std::equal(magic.begin(), magic.end(), head.begin() + static_cast<std::ptrdiff_t>(at),
                    [](char m, unsigned char b) { return static_cast<unsigned char>(m) == b; });
}

ContentSignature image(std::string_view format) { return {format, true, false, false, false}; }
ContentSignature audio(std::string_view format) { return {format, false, true, false, false}; }
ContentSignature video(std::string_view format) { return {format, false, false, true, false}; }
// Containers that hold sound alone as well as pictures with sound (audio/ogg and video/ogg).
ContentSignature audio_or_video(std::string_view format) { return {format, false, true, true, false}; }
ContentSignature executable(std::string_view format) { return {format, false, false, false, true}; }

// ISO base media (MP4, M4A, MOV, 3GP, HEIF, AVIF): "ftyp" at offset 4, then the major brand.
ContentSignature iso_media(Bytes head) {
  static constexpr std::string_view kImageBrands[] = {"avif", "avis", "heic", "heix", "heim", "heis", "mif1", "msf1"};
  static constexpr std::string_view kAudioBrands[] = {"M4A ", "M4B ", "M4P ", "F4A "};
  for (auto brand : kImageBrands)
    if (starts_with(head, brand, 8)) return image("HEIF/AVIF");
  for (auto brand : kAudioBrands)
    if (starts_with(head, brand, 8)) return audio("M4A");
  // Most brands (isom, mp42, qt, 3gp...) hold video, audio or both: the bytes cannot tell.
  return audio_or_video("MP4");
}

// An MPEG audio frame header (MP3): 11 set sync bits, then a version and a layer that are not
// the reserved values; or AAC's ADTS header, 12 sync bits and layer 0. 0xFFD8 (JPEG) fails both.
bool mpeg_audio_frame(Bytes head) {
  if (head.size() < 2 || head[0] != 0xFF || (head[1] & 0xE0) != 0xE0) return false;
  const unsigned version = (head[1] >> 3) & 0x3, layer = (head[1] >> 1) & 0x3;
  const bool mp3 = version != 1 && layer != 0;
  const bool adts = (head[1] & 0xF6) == 0xF0;
  return mp3 || adts;
}

}  // namespace

ContentSignature detect_content(Bytes head) {
  // Executables first: whatever else they might resemble, they must not pass as media.
  if (starts_with(head, "\x7F" "ELF")) return executable("ELF executable");
  if (starts_with(head, "MZ")) return executable("Windows executable");
  if (starts_with(head, "\xFE\xED\xFA\xCE") || starts_with(head, "\xFE\xED\xFA\xCF") ||
      starts_with(head, "\xCE\xFA\xED\xFE") || starts_with(head, "\xCF\xFA\xED\xFE") ||
      starts_with(head, "\xCA\xFE\xBA\xBE"))
    return executable("Mach-O executable");

  if (starts_with(head, "\x89PNG\r\n\x1A\n")) return image("PNG");
  if (starts_with(head, "\xFF\xD8\xFF")) return image("JPEG");
  if (starts_with(head, "GIF87a") || starts_with(head, "GIF89a")) return image("GIF");
  if (starts_with(head, "RIFF") && starts_with(head, "WEBP", 8)) return image("WebP");
  if (starts_with(head, "BM") && head.size() >= 14) return image("BMP");
  if (starts_with(head, "II*\0") || starts_with(head, "MM\0*")) return image("TIFF");
  if (starts_with(head, std::string_view("\0\0\1\0", 4))) return image("ICO");

  if (starts_with(head, "ID3")) return audio("MP3");
  if (starts_with(head, "fLaC")) return audio("FLAC");
  if (starts_with(head, "RIFF") && starts_with(head, "WAVE", 8)) return audio("WAV");
  if (starts_with(head, "FORM") && (starts_with(head, "AIFF", 8) || starts_with(head, "AIFC", 8))) return audio("AIFF");
  if (starts_with(head, "MThd")) return audio("MIDI");
  if (starts_with(head, "#!AMR")) return audio("AMR");
  if (starts_with(head, "OggS")) return audio_or_video("Ogg");
  if (starts_with(head, "\x1A\x45\xDF\xA3")) return audio_or_video("WebM/Matroska");
  if (starts_with(head, "ftyp", 4)) return iso_media(head);
  if (mpeg_audio_frame(head)) return audio("MPEG audio");

  if (starts_with(head, "RIFF") && starts_with(head, "AVI ", 8)) return video("AVI");
  if (starts_with(head, "FLV\x01")) return video("FLV");
  if (starts_with(head, std::string_view("\0\0\1\xBA", 4)) || starts_with(head, std::string_view("\0\0\1\xB3", 4)))
    return video("MPEG");
  if (starts_with(head, "moov", 4) || starts_with(head, "mdat", 4) || starts_with(head, "wide", 4))
    return video("QuickTime");

  if (starts_with(head, "%PDF-")) return {"PDF"};
  if (starts_with(head, "PK\x03\x04")) return {"ZIP"};
  return {};
}

Result<std::string> normalize_mime_type(std::string_view declared) {
  std::string_view essence = declared.substr(0, declared.find(';'));
  while (!essence.empty() && (essence.back() == ' ' || essence.back() == '\t')) essence.remove_suffix(1);
  while (!essence.empty() && (essence.front() == ' ' || essence.front() == '\t')) essence.remove_prefix(1);
  const auto slash = essence.find('/');
  if (essence.empty() || essence.size() > limits::kMimeTypeMax || slash == std::string_view::npos || slash == 0 ||
      slash + 1 == essence.size() || essence.find('/', slash + 1) != std::string_view::npos)
    return fail(ErrorCode::invalid_payload, "the Content-Type must be a media type such as image/png");
  std::string mime;
  for (char c : essence) {
    if (c <= ' ' || c >= 127) return fail(ErrorCode::invalid_payload, "the Content-Type has invalid characters");
    mime += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return mime;
}

Result<void> check_content_matches(std::string_view mime, Bytes head) {
  const std::string_view family = mime.substr(0, mime.find('/'));
  const bool media = family == "image" || family == "audio" || family == "video";
  if (!media) return {};
  const ContentSignature found = detect_content(head);
  const bool fits = (family == "image" && found.image) || (family == "audio" && found.audio) ||
                    (family == "video" && found.video);
  if (fits) return {};
  std::string what = found.format.empty() ? "not a recognised " + std::string(family) + " format"
                                          : "a " + std::string(found.format) + " file";
  return fail(ErrorCode::unsupported_media_type,
              "the content was declared as " + std::string(mime) + " but is " + what);
}

bool is_inline_media(std::string_view mime) {
  return mime.starts_with("image/") || mime.starts_with("audio/") || mime.starts_with("video/");
}

}  // namespace parley::domain
