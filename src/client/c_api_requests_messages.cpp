// Requests about messages, files, typing and presence.
#include <algorithm>

#include "client/c_api_requests.hpp"
#include "client/json_mapping.hpp"
#include "core/error.hpp"
#include "protocol/search_json.hpp"

namespace json = boost::json;

namespace parley::c_api {

namespace {

json::object message_json(const Message& m) { return client::to_json(m); }

json::object messages_json(const std::vector<Message>& messages) {
  json::array list;
  for (const auto& m : messages) list.push_back(client::to_json(m));
  return {{"messages", std::move(list)}};
}

json::object path_json(const std::filesystem::path& p) { return {{"path", p.string()}}; }

// A page size: absent means 50, as in the C++ API.
Result<std::size_t> limit_of(const Fields& f) {
  PARLEY_TRY(limit, f.optional_integer("limit"));
  if (limit && *limit <= 0) return fail(ErrorCode::invalid_payload, "\"limit\" must be above 0");
  return static_cast<std::size_t>(limit.value_or(50));
}

Result<json::value> send_text(Client& c, const Fields& f, const RequestContext&) {
  PARLEY_TRY(room, f.room_id());
  PARLEY_TRY(text, f.text("text"));
  return data_of(c.send_text(room, text), message_json);
}

Result<json::value> send(Client& c, const Fields& f, const RequestContext&) {
  PARLEY_TRY(room, f.room_id());
  PARLEY_TRY(type, f.text("message_type"));
  PARLEY_TRY(text, f.optional_text("text"));
  PARLEY_TRY(attachment, f.attachment("attachment"));
  return data_of(c.send(room, type, text.value_or(""), std::move(attachment)), message_json);
}

Result<json::value> send_file(Client& c, const Fields& f, const RequestContext& context) {
  PARLEY_TRY(room, f.room_id());
  PARLEY_TRY(path, f.text("path"));
  PARLEY_TRY(type, f.optional_text("message_type"));
  PARLEY_TRY(mime_type, f.optional_text("mime_type"));
  PARLEY_TRY(caption, f.optional_text("caption"));
  PARLEY_TRY(width, f.optional_integer("width"));
  PARLEY_TRY(height, f.optional_integer("height"));
  PARLEY_TRY(duration_ms, f.optional_integer("duration_ms"));
  SendFileOptions options{type.value_or(""), mime_type.value_or(""), caption.value_or(""),
                          std::nullopt,      std::nullopt,           duration_ms};
  if (width) options.width = static_cast<std::int32_t>(*width);
  if (height) options.height = static_cast<std::int32_t>(*height);
  return data_of(c.send_file(room, path, std::move(options), context.progress), message_json);
}

Result<json::value> download(Client& c, const Fields& f, const RequestContext& context) {
  PARLEY_TRY(upload_id, f.text("upload_id"));
  return data_of(c.download(upload_id, context.progress), path_json);
}

Result<json::value> retry(Client& c, const Fields& f, const RequestContext&) {
  PARLEY_TRY(id, f.text("client_msg_id"));
  return no_data(c.retry(id));
}

Result<json::value> discard(Client& c, const Fields& f, const RequestContext&) {
  PARLEY_TRY(id, f.text("client_msg_id"));
  return no_data(c.discard(id));
}

Result<json::value> messages(Client& c, const Fields& f, const RequestContext&) {
  PARLEY_TRY(room, f.room_id());
  PARLEY_TRY(limit, limit_of(f));
  PARLEY_TRY(before, f.optional_integer("before"));
  return json::value(messages_json(c.messages(room, limit, before.value_or(0))));
}

Result<json::value> load_older(Client& c, const Fields& f, const RequestContext&) {
  PARLEY_TRY(room, f.room_id());
  PARLEY_TRY(limit, limit_of(f));
  return data_of(c.load_older(room, limit), messages_json);
}

Result<json::value> search(Client& c, const Fields& f, const RequestContext&) {
  PARLEY_TRY(query, f.text("query"));
  PARLEY_TRY(room, f.optional_integer("room_id"));
  PARLEY_TRY(limit, f.optional_integer("limit"));
  PARLEY_TRY(cursor, f.optional_text("cursor"));
  SearchOptions options;
  if (room) options.room = RoomId{*room};
  // Out of range goes to the server as asked, which refuses it in its own words.
  if (limit) options.limit = static_cast<std::size_t>(std::max<std::int64_t>(*limit, 0));
  options.cursor = cursor.value_or("");
  return data_of(c.search(query, options), [](const SearchResults& found) {
    return protocol::search_results_json(found.results, found.next_cursor);
  });
}

// The message a reply or an action names: "seq", or "client_msg_id" while it is pending.
Result<MessageRef> target_of(const Fields& f) {
  PARLEY_TRY(room, f.room_id());
  PARLEY_TRY(seq, f.optional_integer("seq"));
  PARLEY_TRY(id, f.optional_text("client_msg_id"));
  if (seq && *seq > 0) return MessageRef{room, *seq};
  if (id && !id->empty()) return MessageRef{room, *id};
  return fail(ErrorCode::invalid_payload, "name the message with \"seq\" or \"client_msg_id\"");
}

Result<json::value> reply(Client& c, const Fields& f, const RequestContext&) {
  PARLEY_TRY(target, target_of(f));
  PARLEY_TRY(text, f.text("text"));
  return data_of(c.reply(target, text), message_json);
}

Result<json::value> edit(Client& c, const Fields& f, const RequestContext&) {
  PARLEY_TRY(target, target_of(f));
  PARLEY_TRY(text, f.text("text"));
  return data_of(c.edit(target, text), message_json);
}

Result<json::value> delete_message(Client& c, const Fields& f, const RequestContext&) {
  PARLEY_TRY(target, target_of(f));
  return data_of(c.remove(target), message_json);
}

Result<json::value> react(Client& c, const Fields& f, const RequestContext&) {
  PARLEY_TRY(target, target_of(f));
  PARLEY_TRY(emoji, f.text("emoji"));
  return data_of(c.react(target, emoji), message_json);
}

Result<json::value> unreact(Client& c, const Fields& f, const RequestContext&) {
  PARLEY_TRY(target, target_of(f));
  PARLEY_TRY(emoji, f.text("emoji"));
  return data_of(c.unreact(target, emoji), message_json);
}

Result<json::value> reactions(Client& c, const Fields& f, const RequestContext&) {
  PARLEY_TRY(room, f.room_id());
  PARLEY_TRY(seq, f.id("seq"));
  return data_of(c.reactions(room, seq), [](const std::vector<ReactionUsers>& list) {
    json::array out;
    for (const auto& r : list) {
      json::array ids;
      for (UserId u : r.user_ids) ids.push_back(u.value);
      out.push_back(json::object{{"emoji", r.emoji}, {"user_ids", std::move(ids)}});
    }
    return json::object{{"reactions", std::move(out)}};
  });
}

Result<json::value> versions(Client& c, const Fields& f, const RequestContext&) {
  PARLEY_TRY(room, f.room_id());
  PARLEY_TRY(seq, f.id("seq"));
  return data_of(c.versions(room, seq), [](const std::vector<MessageVersion>& list) {
    json::array out;
    for (const auto& v : list) out.push_back(json::object{{"version", v.version}, {"text", v.text}, {"written_at", v.written_at}});
    return json::object{{"versions", std::move(out)}};
  });
}

Result<json::value> mark_read(Client& c, const Fields& f, const RequestContext&) {
  PARLEY_TRY(room, f.room_id());
  PARLEY_TRY(seq, f.optional_integer("seq"));
  return no_data(c.mark_read(room, seq.value_or(0)));
}

Result<json::value> start_typing(Client& c, const Fields& f, const RequestContext&) {
  PARLEY_TRY(room, f.room_id());
  return no_data(c.start_typing(room));
}

Result<json::value> stop_typing(Client& c, const Fields& f, const RequestContext&) {
  PARLEY_TRY(room, f.room_id());
  return no_data(c.stop_typing(room));
}

Result<json::value> typing(Client& c, const Fields& f, const RequestContext&) {
  PARLEY_TRY(room, f.room_id());
  json::array ids;
  for (UserId u : c.typing(room)) ids.push_back(u.value);
  return json::value(json::object{{"user_ids", std::move(ids)}});
}

Result<json::value> set_presence(Client& c, const Fields& f, const RequestContext&) {
  PARLEY_TRY(status, f.text("status"));
  return no_data(c.set_presence(status));
}

// What this device last heard of the user's presence, or null.
Result<json::value> presence(Client& c, const Fields& f, const RequestContext&) {
  PARLEY_TRY(user, f.user_id());
  auto known = c.presence(user);
  return known ? json::value(client::to_json(*known)) : json::value(nullptr);
}

}  // namespace

void add_message_requests(RequestTable& t) {
  t["send_text"] = {send_text, true};
  t["send"] = {send, true};
  t["send_file"] = {send_file, true};
  t["retry"] = {retry, true};
  t["discard"] = {discard, true};
  t["reply"] = {reply, true};
  t["edit"] = {edit, true};
  t["delete_message"] = {delete_message, true};
  t["react"] = {react, true};
  t["unreact"] = {unreact, true};
  t["reactions"] = {reactions};
  t["versions"] = {versions};
  t["download"] = {download};
  t["messages"] = {messages};
  t["load_older"] = {load_older};
  t["mark_read"] = {mark_read};
  t["search"] = {search};
  t["start_typing"] = {start_typing};
  t["stop_typing"] = {stop_typing};
  t["typing"] = {typing};
  t["set_presence"] = {set_presence};
  t["presence"] = {presence};
}

}  // namespace parley::c_api
