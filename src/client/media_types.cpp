#include "client/media_types.hpp"

#include <algorithm>
#include <unordered_map>

namespace parley::client {

std::string mime_type_for(const std::filesystem::path& file) {
  static const std::unordered_map<std::string, std::string> by_extension{
      {"png", "image/png"},        {"jpg", "image/jpeg"},       {"jpeg", "image/jpeg"},
      {"gif", "image/gif"},        {"webp", "image/webp"},      {"bmp", "image/bmp"},
      {"tif", "image/tiff"},       {"tiff", "image/tiff"},      {"ico", "image/x-icon"},
      {"heic", "image/heic"},      {"avif", "image/avif"},      {"mp3", "audio/mpeg"},
      {"m4a", "audio/mp4"},        {"aac", "audio/aac"},        {"oga", "audio/ogg"},
      {"opus", "audio/ogg"},       {"wav", "audio/wav"},        {"flac", "audio/flac"},
      {"aif", "audio/aiff"},       {"aiff", "audio/aiff"},      {"mid", "audio/midi"},
      {"midi", "audio/midi"},      {"amr", "audio/amr"},        {"mp4", "video/mp4"},
      {"m4v", "video/mp4"},        {"mov", "video/quicktime"},  {"webm", "video/webm"},
      {"mkv", "video/x-matroska"}, {"ogv", "video/ogg"},        {"avi", "video/x-msvideo"},
      {"flv", "video/x-flv"},      {"mpg", "video/mpeg"},       {"mpeg", "video/mpeg"},
      {"pdf", "application/pdf"},  {"zip", "application/zip"},  {"json", "application/json"},
      {"txt", "text/plain"},       {"md", "text/markdown"},     {"csv", "text/csv"},
      {"html", "text/html"},       {"gz", "application/gzip"}, {"tar", "application/x-tar"}};
  std::string extension = file.extension().string();
  if (!extension.empty()) extension.erase(0, 1);
  std::ranges::transform(extension, extension.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  auto it = by_extension.find(extension);
  return it == by_extension.end() ? "application/octet-stream" : it->second;
}

std::string message_type_for(std::string_view mime_type) {
  for (std::string_view family : {"image", "audio", "video"})
    if (mime_type.starts_with(family) && mime_type.substr(family.size()).starts_with('/')) return std::string(family);
  return "file";
}

bool type_fits(std::string_view type, std::string_view mime_type) {
  return type == "file" || message_type_for(mime_type) == type;
}

}  // namespace parley::client
