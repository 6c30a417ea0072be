// parley::Client's files: send_file puts a file message in the outbox (the upload happens in
// client_impl.cpp's pump), download fetches an attachment into the cache.
#include <parley/client.hpp>

#include <algorithm>
#include <cctype>

#include "client/client_impl.hpp"
#include "client/file_transfer.hpp"
#include "client/media_types.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"

namespace parley {

namespace fs = std::filesystem;

namespace {

constexpr const char* kPartialSuffix = ".part";

// A name that is safe as one path component: no directories, not hidden, not empty.
std::string safe_file_name(std::string name) {
  for (char& c : name)
    if (c == '/' || c == '\\' || static_cast<unsigned char>(c) < 0x20) c = '_';
  if (!name.empty() && name.front() == '.') name.front() = '_';
  return name.empty() ? std::string("file") : name;
}

// Upload ids name cache directories, so only the characters the server uses are taken.
bool plausible_upload_id(const std::string& id) {
  return !id.empty() && id.size() <= 128 &&
         std::ranges::all_of(id, [](unsigned char c) { return std::isalnum(c) || c == '_' || c == '-'; });
}

// The complete file in an upload's cache directory, if a download (or the send) left one.
std::optional<fs::path> cached_file(const fs::path& dir) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec))
    if (entry.is_regular_file(ec) && entry.path().extension() != kPartialSuffix) return entry.path();
  return std::nullopt;
}

Result<fs::path> fetch(Client::Impl& impl, const std::string& upload_id, const std::string& name,
                       const TransferProgress& progress) {
  if (upload_id.empty()) return fail(ErrorCode::invalid_payload, "this attachment has no upload: there is nothing to download");
  if (!plausible_upload_id(upload_id)) return fail(ErrorCode::invalid_payload, "\"" + upload_id + "\" is not an upload id");
  const fs::path dir = impl.media_dir() / upload_id;
  if (auto cached = cached_file(dir)) return *cached;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return fail(ErrorCode::internal, "cannot create " + dir.string() + ": " + ec.message());
  const fs::path target = dir / safe_file_name(name.empty() ? upload_id : name);
  const fs::path partial = target.string() + kPartialSuffix;
  auto report = impl.progress_reporter(progress);
  PARLEY_CHECK(impl.with_token([&](const std::string& token) {
    return client::download_file(impl.server, token, upload_id, partial, report, impl.options.request_timeout);
  }));
  fs::rename(partial, target, ec);
  if (ec) return fail(ErrorCode::internal, "cannot keep the download: " + ec.message());
  return target;
}

}  // namespace

Result<Message> Client::send_file(RoomId room, const fs::path& file, SendFileOptions options, TransferProgress progress) {
  auto self = me();
  if (!self) return fail(ErrorCode::unauthorized, "sign in before sending");
  if (!impl_->store->room(room)) return fail(ErrorCode::not_found, "no such room on this device");
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) return fail(ErrorCode::not_found, "no file at " + file.string());
  const auto size = static_cast<std::int64_t>(fs::file_size(file, ec));
  if (ec) return fail(ErrorCode::not_found, "cannot read " + file.string() + ": " + ec.message());

  Attachment attachment;
  attachment.name = file.filename().string();
  attachment.mime_type = options.mime_type.empty() ? client::mime_type_for(file) : options.mime_type;
  attachment.size = size;
  attachment.width = options.width;
  attachment.height = options.height;
  attachment.duration_ms = options.duration_ms;
  const std::string type = options.type.empty() ? client::message_type_for(attachment.mime_type) : options.type;
  if (type != "image" && type != "file" && type != "audio" && type != "video")
    return fail(ErrorCode::invalid_payload, "a file is sent as image, file, audio or video, not " + type);
  if (!client::type_fits(type, attachment.mime_type))
    return fail(ErrorCode::invalid_payload,
                type + " messages carry " + type + "/* files; " + attachment.name + " is " + attachment.mime_type);

  Message message;
  message.client_msg_id = client::new_client_msg_id();
  message.room_id = room;
  message.sender_id = self->id;
  message.type = type;
  message.text = options.caption;
  message.attachment = std::move(attachment);
  message.created_at = now_ms();
  message.state = MessageState::pending;
  PARLEY_CHECK(Impl::check_sendable(message));
  // The SDK's own copy: the send survives the app deleting or changing the original.
  const fs::path copy = impl_->outbox_files_dir() / message.client_msg_id / safe_file_name(attachment.name);
  fs::create_directories(copy.parent_path(), ec);
  if (!ec) fs::copy_file(file, copy, fs::copy_options::overwrite_existing, ec);
  if (ec) return fail(ErrorCode::internal, "cannot copy " + file.string() + " into the data directory: " + ec.message());
  if (auto kept = impl_->store->add_to_outbox(message, copy.string()); !kept) {  // on disk before this returns
    fs::remove_all(copy.parent_path(), ec);
    return std::unexpected(kept.error());
  }
  if (progress) {
    std::lock_guard lock(impl_->progress_mutex);
    impl_->upload_progress[message.client_msg_id] = std::move(progress);
  }
  impl_->notify([message](const Observer& o) {
    if (o.message) o.message(message);
  });
  impl_->wake_outbox();
  return message;
}

Result<fs::path> Client::download(const Message& message, TransferProgress progress) {
  if (!message.attachment) return fail(ErrorCode::invalid_payload, "the message has no attachment");
  return fetch(*impl_, message.attachment->upload_id, message.attachment->name, progress);
}

Result<fs::path> Client::download(const std::string& upload_id, TransferProgress progress) {
  return fetch(*impl_, upload_id, "", progress);
}

}  // namespace parley
