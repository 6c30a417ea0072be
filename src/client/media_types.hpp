#pragma once
// What kind of message a file makes: its media type from the file name's extension, and the
// message type (image, audio, video, file) from the media type.
#include <filesystem>
#include <string>
#include <string_view>

namespace parley::client {

// "image/png" for "cat.PNG"; application/octet-stream for what is not known.
[[nodiscard]] std::string mime_type_for(const std::filesystem::path& file);

// image, audio or video for those media types; file for everything else.
[[nodiscard]] std::string message_type_for(std::string_view mime_type);

// Whether a message of `type` may carry a file of `mime_type` (the server's rule).
[[nodiscard]] bool type_fits(std::string_view type, std::string_view mime_type);

}  // namespace parley::client
