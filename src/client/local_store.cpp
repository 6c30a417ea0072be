#include "client/local_store.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "client/json_mapping.hpp"
#include "client/message_events.hpp"
#include "core/error.hpp"
#include "sqlite/connection.hpp"
#include "sqlite/query.hpp"

namespace parley::client {

namespace json = boost::json;
using sqlite::Statement;

namespace {

// One schema, created on first open. A later version adds statements behind user_version.
constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS session (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS rooms (
  id INTEGER PRIMARY KEY,
  activity INTEGER NOT NULL,   -- for ordering the list: last message time, else when seen
  body TEXT NOT NULL           -- the Room as JSON
);
CREATE TABLE IF NOT EXISTS messages (
  room_id INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  client_msg_id TEXT,
  body TEXT NOT NULL,          -- the Message as JSON
  PRIMARY KEY (room_id, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS messages_by_client_msg_id ON messages (client_msg_id);
CREATE TABLE IF NOT EXISTS outbox (
  position INTEGER PRIMARY KEY AUTOINCREMENT,  -- the order the app wrote them in
  client_msg_id TEXT NOT NULL UNIQUE,
  room_id INTEGER NOT NULL,
  state TEXT NOT NULL,         -- pending or failed
  body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS members (
  room_id INTEGER NOT NULL,
  user_id INTEGER NOT NULL,
  body TEXT NOT NULL,          -- the Member as JSON
  PRIMARY KEY (room_id, user_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS watermarks (
  room_id INTEGER NOT NULL,
  user_id INTEGER NOT NULL,
  delivered_seq INTEGER NOT NULL,
  read_seq INTEGER NOT NULL,
  PRIMARY KEY (room_id, user_id)
) WITHOUT ROWID;
)sql";

std::string encode(const json::object& o) { return json::serialize(o); }

json::value decode(const std::string& text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  return ec ? json::value() : v;
}

// The local database is the app's memory; a failed write of a cache row costs at worst a
// refetch. These helpers keep the call sites short.
void run(Statement& statement) { (void)statement.run(); }

// A write whose failure the caller must hear of: the outbox and the session are promises to
// the app (a message "on disk", a login that survives a restart).
template <class... Args>
Result<void> write(sqlite::Connection& db, const char* sql, const Args&... args) {
  auto q = db.prepare(sql);
  if (!q) return std::unexpected(q.error());
  q->bind_all(args...);
  return q->run();
}

}  // namespace

Result<std::unique_ptr<LocalStore>> LocalStore::open(const std::filesystem::path& data_dir) {
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec) return fail(ErrorCode::invalid_payload, "cannot create the data directory " + data_dir.string() + ": " + ec.message());
  auto db = sqlite::Connection::open({(data_dir / "parley-client.db").string(), true});
  if (!db) return std::unexpected(db.error());
  // A deleted message's text must not linger in the file's free space.
  PARLEY_CHECK((*db)->execute("PRAGMA secure_delete=ON"));
  PARLEY_CHECK((*db)->execute(kSchema));
  return std::unique_ptr<LocalStore>(new LocalStore(std::move(*db)));
}

LocalStore::LocalStore(std::unique_ptr<sqlite::Connection> db) : db_(std::move(db)) {}
LocalStore::~LocalStore() = default;

std::optional<std::string> LocalStore::get(const std::string& key) {
  std::lock_guard lock(mutex_);
  auto q = db_->prepare("SELECT value FROM session WHERE key = ?1");
  if (!q) return std::nullopt;
  q->bind_all(key);
  auto row = sqlite::fetch_optional(*q, [](const Statement& s) -> Result<std::string> { return s.text(0); });
  return row ? *row : std::nullopt;
}

Result<void> LocalStore::put(const std::string& key, const std::string& value) {
  std::lock_guard lock(mutex_);
  return write(*db_, "INSERT INTO session (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
               key, value);
}

Result<void> LocalStore::put_all(const std::vector<std::pair<std::string, std::string>>& entries) {
  std::lock_guard lock(mutex_);
  PARLEY_CHECK(db_->execute("BEGIN"));
  for (const auto& [key, value] : entries) {
    auto written = write(*db_, "INSERT INTO session (key, value) VALUES (?1, ?2) "
                               "ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, value);
    if (!written) {
      db_->execute_quietly("ROLLBACK");
      return written;
    }
  }
  if (auto committed = db_->execute("COMMIT"); !committed) {
    db_->execute_quietly("ROLLBACK");
    return committed;
  }
  return {};
}

void LocalStore::erase(const std::string& key) {
  std::lock_guard lock(mutex_);
  if (auto q = db_->prepare("DELETE FROM session WHERE key = ?1")) {
    q->bind_all(key);
    run(*q);
  }
}

void LocalStore::upsert_room(const Room& room) {
  std::lock_guard lock(mutex_);
  if (auto q = db_->prepare("INSERT INTO rooms (id, activity, body) VALUES (?1, ?2, ?3) "
                            "ON CONFLICT (id) DO UPDATE SET activity = excluded.activity, body = excluded.body")) {
    q->bind_all(room.id, room.last_message ? room.last_message->created_at : std::int64_t{0}, encode(to_json(room)));
    run(*q);
  }
}

void LocalStore::remove_room(RoomId room) {
  std::lock_guard lock(mutex_);
  for (const char* sql : {"DELETE FROM rooms WHERE id = ?1", "DELETE FROM messages WHERE room_id = ?1",
                          "DELETE FROM members WHERE room_id = ?1",
                          "DELETE FROM watermarks WHERE room_id = ?1", "DELETE FROM outbox WHERE room_id = ?1"}) {
    if (auto q = db_->prepare(sql)) {
      q->bind_all(room);
      run(*q);
    }
  }
}

std::vector<Room> LocalStore::rooms() {
  std::lock_guard lock(mutex_);
  auto q = db_->prepare("SELECT body FROM rooms ORDER BY activity DESC, id DESC");
  if (!q) return {};
  auto rows = sqlite::fetch_all(*q, [](const Statement& s) -> Result<Room> { return room_from_json(decode(s.text(0))); });
  return rows ? *rows : std::vector<Room>{};
}

std::optional<Room> LocalStore::room(RoomId room) {
  std::lock_guard lock(mutex_);
  auto q = db_->prepare("SELECT body FROM rooms WHERE id = ?1");
  if (!q) return std::nullopt;
  q->bind_all(room);
  auto row = sqlite::fetch_optional(*q, [](const Statement& s) -> Result<Room> { return room_from_json(decode(s.text(0))); });
  return row ? *row : std::nullopt;
}

namespace {

// The stored body: the Message as JSON, and the seq up to which its state (text, deletion,
// reactions) holds the room's events: an event at or below it is in it already.
constexpr const char* kStateSeq = "state_seq";

std::string message_body(const Message& message, Seq state_seq) {
  auto body = to_json(message);
  if (state_seq > 0) body[kStateSeq] = state_seq;
  return encode(body);
}

Seq state_seq_of(const json::value& body) {
  const auto* o = body.if_object();
  const auto* v = o ? o->if_contains(kStateSeq) : nullptr;
  return v && v->is_int64() ? v->get_int64() : 0;
}

}  // namespace

LocalStore::Stored LocalStore::store_messages(const std::vector<Message>& messages, UserId self, bool current,
                                              Seq snapshot_seq) {
  std::lock_guard lock(mutex_);
  Stored stored;
  if (messages.empty() || !db_->execute("BEGIN")) return stored;
  Seq newest_in_batch = 0;
  for (const auto& m : messages) newest_in_batch = std::max(newest_in_batch, m.seq);
  // What the server sent was its state when it read it: the snapshot's seq when the answer says
  // it, else at least as new as the room's newest seq known here. Events up to there are in it
  // already, and must not be applied twice; those after it that arrived here first must be.
  const RoomId room = messages.front().room_id;
  const Seq as_of = snapshot_seq > 0 ? std::max(snapshot_seq, newest_in_batch) : state_as_of_locked(room, newest_in_batch);
  for (const auto& message : messages)
    store_one(message, self, current && message.room_id == room ? as_of : message.seq, stored);
  if (current && snapshot_seq > 0) apply_events_after_locked(room, as_of, self, stored);
  if (!db_->execute("COMMIT")) {
    db_->execute_quietly("ROLLBACK");
    return {};
  }
  return stored;
}

Seq LocalStore::state_as_of_locked(RoomId room, Seq newest_in_batch) {
  Seq as_of = newest_in_batch;
  if (auto q = db_->prepare("SELECT COALESCE(MAX(seq), 0) FROM messages WHERE room_id = ?1")) {
    q->bind_all(room);
    as_of = std::max(as_of, sqlite::fetch_int64(*q).value_or(0));
  }
  if (auto q = db_->prepare("SELECT COALESCE(json_extract(body, '$.last_seq'), 0) FROM rooms WHERE id = ?1")) {
    q->bind_all(room);
    as_of = std::max(as_of, sqlite::fetch_int64(*q).value_or(0));
  }
  return as_of;
}

void LocalStore::store_one(const Message& message, UserId self, Seq state_as_of, Stored& stored) {
  Message incoming = message;
  incoming.state = MessageState::sent;  // delivered/read are derived from watermarks when read back
  incoming.failure.clear();
  incoming.failure_code.reset();
  const bool event = is_event_type(message.type);
  if (!message.client_msg_id.empty()) {
    if (auto d = db_->prepare("DELETE FROM outbox WHERE client_msg_id = ?1")) {
      d->bind_all(message.client_msg_id);
      run(*d);
    }
  }
  std::optional<json::value> held;
  if (auto q = db_->prepare("SELECT body FROM messages WHERE room_id = ?1 AND seq = ?2")) {
    q->bind_all(message.room_id, message.seq);
    if (auto row = sqlite::fetch_optional(*q, [](const Statement& s) -> Result<std::string> { return s.text(0); }); row && *row)
      held = decode(**row);
  }
  if (!held) {
    auto q = db_->prepare("INSERT INTO messages (room_id, seq, client_msg_id, body) VALUES (?1, ?2, ?3, ?4)");
    if (!q) return;
    q->bind_all(message.room_id, message.seq, message.client_msg_id, message_body(incoming, event ? 0 : state_as_of));
    if (!q->run()) return;
    stored.fresh.push_back(message);
    if (event) apply_to_target(incoming, self, stored);
    return;
  }
  if (event) return;  // an event never changes: held is held
  // Held already: the server's state is newer than the one kept, unless that holds later events.
  if (state_seq_of(*held) >= state_as_of) return;
  Message kept = message_from_json(*held);
  if (kept.deleted && !incoming.deleted) return;  // a deleted message never comes back
  if (encode(to_json(kept)) == encode(to_json(incoming))) return;
  if (kept.attachment && !incoming.attachment && incoming.deleted) stored.deleted_uploads.push_back(kept.attachment->upload_id);
  if (auto q = db_->prepare("UPDATE messages SET body = ?3 WHERE room_id = ?1 AND seq = ?2")) {
    q->bind_all(message.room_id, message.seq, message_body(incoming, state_as_of));
    run(*q);
  }
  update_previews(incoming);
  stored.changed.push_back(incoming);
}

void LocalStore::apply_to_target(const Message& event, UserId self, Stored& stored) {
  if (!event.relates_to) return;
  auto q = db_->prepare("SELECT body FROM messages WHERE room_id = ?1 AND seq = ?2");
  if (!q) return;
  q->bind_all(event.room_id, *event.relates_to);
  auto row = sqlite::fetch_optional(*q, [](const Statement& s) -> Result<std::string> { return s.text(0); });
  if (!row || !*row) return;  // not held here: it comes in its current state when fetched
  const auto body = decode(**row);
  if (state_seq_of(body) >= event.seq) return;  // its state holds this event already
  Message target = message_from_json(body);
  const auto upload = target.attachment ? target.attachment->upload_id : std::string();
  if (!apply_event(target, event, self)) return;
  if (auto u = db_->prepare("UPDATE messages SET body = ?3 WHERE room_id = ?1 AND seq = ?2")) {
    u->bind_all(target.room_id, target.seq, message_body(target, event.seq));
    run(*u);
  }
  if (target.deleted) {
    if (!upload.empty()) stored.deleted_uploads.push_back(upload);
    // What the deleted message said lives on in its edits: they keep their seqs, not their text.
    if (auto e = db_->prepare("UPDATE messages SET body = json_set(body, '$.text', '') WHERE room_id = ?1 "
                              "AND json_extract(body, '$.relates_to') = ?2 AND json_extract(body, '$.type') = 'edit'")) {
      e->bind_all(target.room_id, target.seq);
      run(*e);
    }
  }
  update_previews(target);
  stored.changed.push_back(target);
}

void LocalStore::apply_events_after_locked(RoomId room, Seq after, UserId self, Stored& stored) {
  // Events that came live while the page was on its way: few, and found by the primary key.
  auto q = db_->prepare("SELECT body FROM messages WHERE room_id = ?1 AND seq > ?2 AND json_extract(body, '$.type') "
                        "IN ('edit', 'deletion', 'reaction', 'reaction_removed') ORDER BY seq");
  if (!q) return;
  q->bind_all(room, after);
  auto events = sqlite::fetch_all(*q, [](const Statement& s) -> Result<Message> { return message_from_json(decode(s.text(0))); });
  if (!events) return;
  for (const auto& event : *events) apply_to_target(event, self, stored);
}

void LocalStore::update_previews(const Message& target) {
  auto q = db_->prepare("SELECT body FROM messages WHERE room_id = ?1 AND json_extract(body, '$.reply_to') = ?2");
  if (!q) return;
  q->bind_all(target.room_id, target.seq);
  auto rows = sqlite::fetch_all(*q, [](const Statement& s) -> Result<std::string> { return s.text(0); });
  if (!rows) return;
  for (const auto& text : *rows) {
    const auto body = decode(text);
    Message reply = message_from_json(body);
    if (!reply.reply_preview) continue;
    reply.reply_preview->text = target.deleted ? std::string() : preview_text(target.text);
    reply.reply_preview->deleted = target.deleted;
    if (auto u = db_->prepare("UPDATE messages SET body = ?3 WHERE room_id = ?1 AND seq = ?2")) {
      u->bind_all(reply.room_id, reply.seq, message_body(reply, state_seq_of(body)));
      run(*u);
    }
  }
}

std::optional<Message> LocalStore::find_sent(const std::string& client_msg_id) {
  std::lock_guard lock(mutex_);
  auto q = db_->prepare("SELECT body FROM messages WHERE client_msg_id = ?1");
  if (!q) return std::nullopt;
  q->bind_all(client_msg_id);
  auto row = sqlite::fetch_optional(*q, [](const Statement& s) -> Result<Message> { return message_from_json(decode(s.text(0))); });
  return row ? *row : std::nullopt;
}

Seq LocalStore::newest_seq(RoomId room) {
  std::lock_guard lock(mutex_);
  auto q = db_->prepare("SELECT COALESCE(MAX(seq), 0) FROM messages WHERE room_id = ?1");
  if (!q) return 0;
  q->bind_all(room);
  return sqlite::fetch_int64(*q).value_or(0);
}

Seq LocalStore::oldest_seq(RoomId room) {
  std::lock_guard lock(mutex_);
  auto q = db_->prepare("SELECT COALESCE(MIN(seq), 0) FROM messages WHERE room_id = ?1");
  if (!q) return 0;
  q->bind_all(room);
  return sqlite::fetch_int64(*q).value_or(0);
}

std::vector<Message> LocalStore::history(RoomId room, std::size_t limit, Seq before) {
  std::lock_guard lock(mutex_);
  return history_locked(room, limit, before);
}

LocalStore::Page LocalStore::history_and_outbox(RoomId room, std::size_t limit, Seq before) {
  // One lock for both reads: an acknowledgement moves a message from the outbox to the history
  // in one transaction, and two separate reads could fall on either side of it and miss it.
  std::lock_guard lock(mutex_);
  return {history_locked(room, limit, before), outbox_locked(room)};
}

std::vector<Message> LocalStore::history_locked(RoomId room, std::size_t limit, Seq before) {
  // Events are stored for their seqs (sync positions) but shown on the message they name.
  auto q = db_->prepare("SELECT body FROM (SELECT seq, body FROM messages WHERE room_id = ?1 AND (?2 <= 0 OR seq < ?2) "
                        "AND json_extract(body, '$.type') NOT IN ('edit', 'deletion', 'reaction', 'reaction_removed') "
                        "ORDER BY seq DESC LIMIT ?3) ORDER BY seq ASC");
  if (!q) return {};
  q->bind_all(room, before, static_cast<std::int64_t>(limit));
  auto rows = sqlite::fetch_all(*q, [](const Statement& s) -> Result<Message> { return message_from_json(decode(s.text(0))); });
  return rows ? *rows : std::vector<Message>{};
}

std::optional<Message> LocalStore::find_message(RoomId room, Seq seq) {
  std::lock_guard lock(mutex_);
  auto q = db_->prepare("SELECT body FROM messages WHERE room_id = ?1 AND seq = ?2");
  if (!q) return std::nullopt;
  q->bind_all(room, seq);
  auto row = sqlite::fetch_optional(*q, [](const Statement& s) -> Result<Message> { return message_from_json(decode(s.text(0))); });
  return row ? *row : std::nullopt;
}

Result<void> LocalStore::add_to_outbox(const Message& message, const std::string& local_file,
                                       const std::string& target_client_msg_id) {
  std::lock_guard lock(mutex_);
  auto body = to_json(message);
  if (!local_file.empty()) body["local_file"] = local_file;
  if (!target_client_msg_id.empty()) body["target_client_msg_id"] = target_client_msg_id;
  return write(*db_, "INSERT INTO outbox (client_msg_id, room_id, state, body) VALUES (?1, ?2, 'pending', ?3)",
               message.client_msg_id, message.room_id, encode(body));
}

namespace {

Result<Message> outbox_row(const Statement& s) {
  Message m = message_from_json(decode(s.text(0)));
  // From the columns, not the body: a body that no longer reads (written by a version that
  // stored bytes JSON cannot hold) must still be found, to be failed or discarded.
  m.client_msg_id = s.text(3);
  m.room_id = RoomId{s.int64(4)};
  m.state = s.text(1) == "failed" ? MessageState::failed : MessageState::pending;
  m.failure = s.text(2);
  return m;
}

}  // namespace

std::optional<Message> LocalStore::next_pending() {
  std::lock_guard lock(mutex_);
  auto q = db_->prepare("SELECT body, state, '', client_msg_id, room_id FROM outbox WHERE state = 'pending' "
                        "ORDER BY position LIMIT 1");
  if (!q) return std::nullopt;
  auto row = sqlite::fetch_optional(*q, outbox_row);
  return row ? *row : std::nullopt;
}

std::vector<Message> LocalStore::outbox(RoomId room) {
  std::lock_guard lock(mutex_);
  return outbox_locked(room);
}

std::vector<Message> LocalStore::outbox_locked(RoomId room) {
  auto q = db_->prepare("SELECT body, state, COALESCE(json_extract(body, '$.failure'), ''), client_msg_id, room_id "
                        "FROM outbox WHERE room_id = ?1 ORDER BY position");
  if (!q) return {};
  q->bind_all(room);
  auto rows = sqlite::fetch_all(*q, outbox_row);
  return rows ? *rows : std::vector<Message>{};
}

std::optional<Message> LocalStore::outbox_message(const std::string& client_msg_id) {
  std::lock_guard lock(mutex_);
  auto q = db_->prepare("SELECT body, state, COALESCE(json_extract(body, '$.failure'), ''), client_msg_id, room_id "
                        "FROM outbox WHERE client_msg_id = ?1");
  if (!q) return std::nullopt;
  q->bind_all(client_msg_id);
  auto row = sqlite::fetch_optional(*q, outbox_row);
  return row ? *row : std::nullopt;
}

Result<void> LocalStore::set_outbox_state(const std::string& client_msg_id, MessageState state,
                                          const std::string& failure, std::optional<ErrorCode> failure_code) {
  std::lock_guard lock(mutex_);
  const std::string code = failure_code ? std::string(to_string(*failure_code)) : std::string();
  const char* state_text = state == MessageState::failed ? "failed" : "pending";
  // A body that is not JSON any more (json_set would refuse it) still changes state.
  return write(*db_, "UPDATE outbox SET state = ?2, body = CASE WHEN json_valid(body) "
                     "THEN json_set(body, '$.failure', ?3, '$.failure_code', ?4) ELSE body END WHERE client_msg_id = ?1",
               client_msg_id, state_text, failure, code);
}

std::string LocalStore::outbox_target(const std::string& client_msg_id) {
  std::lock_guard lock(mutex_);
  auto q = db_->prepare("SELECT COALESCE(json_extract(body, '$.target_client_msg_id'), '') FROM outbox WHERE client_msg_id = ?1");
  if (!q) return {};
  q->bind_all(client_msg_id);
  auto row = sqlite::fetch_optional(*q, [](const Statement& s) -> Result<std::string> { return s.text(0); });
  return row && *row ? **row : std::string();
}

std::optional<LocalStore::OutboxFile> LocalStore::outbox_file(const std::string& client_msg_id) {
  std::lock_guard lock(mutex_);
  auto q = db_->prepare("SELECT COALESCE(json_extract(body, '$.local_file'), ''), "
                        "COALESCE(json_extract(body, '$.uploaded_again'), 0) FROM outbox WHERE client_msg_id = ?1");
  if (!q) return std::nullopt;
  q->bind_all(client_msg_id);
  auto row = sqlite::fetch_optional(*q, [](const Statement& s) -> Result<OutboxFile> {
    return OutboxFile{s.text(0), s.int64(1) != 0};
  });
  if (!row || !*row || (*row)->path.empty()) return std::nullopt;
  return **row;
}

Result<void> LocalStore::set_outbox_upload(const std::string& client_msg_id, const Attachment& uploaded) {
  std::lock_guard lock(mutex_);
  Message carrier;
  carrier.attachment = uploaded;
  const json::value attachment = to_json(carrier)["attachment"];
  return write(*db_, "UPDATE outbox SET body = json_set(body, '$.attachment', json(?2)) WHERE client_msg_id = ?1",
               client_msg_id, json::serialize(attachment));
}

Result<void> LocalStore::forget_outbox_upload(const std::string& client_msg_id) {
  std::lock_guard lock(mutex_);
  return write(*db_, "UPDATE outbox SET body = json_set(body, '$.attachment.upload_id', '', '$.uploaded_again', 1) "
                     "WHERE client_msg_id = ?1", client_msg_id);
}

bool LocalStore::remove_from_outbox(const std::string& client_msg_id) {
  std::lock_guard lock(mutex_);
  auto q = db_->prepare("DELETE FROM outbox WHERE client_msg_id = ?1");
  if (!q) return false;
  q->bind_all(client_msg_id);
  return q->run() && db_->changes() > 0;
}

std::size_t LocalStore::pending_count() {
  std::lock_guard lock(mutex_);
  auto q = db_->prepare("SELECT COUNT(*) FROM outbox WHERE state = 'pending'");
  if (!q) return 0;
  return static_cast<std::size_t>(sqlite::fetch_int64(*q).value_or(0));
}

void LocalStore::replace_members(RoomId room, const std::vector<Member>& members) {
  std::lock_guard lock(mutex_);
  if (!db_->execute("BEGIN")) return;
  if (auto d = db_->prepare("DELETE FROM members WHERE room_id = ?1")) {
    d->bind_all(room);
    run(*d);
  }
  for (const auto& m : members) {
    if (auto q = db_->prepare("INSERT OR REPLACE INTO members (room_id, user_id, body) VALUES (?1, ?2, ?3)")) {
      q->bind_all(room, m.user_id, encode(to_json(m)));
      run(*q);
    }
  }
  if (!db_->execute("COMMIT")) db_->execute_quietly("ROLLBACK");
}

std::vector<Member> LocalStore::members(RoomId room) {
  std::lock_guard lock(mutex_);
  auto q = db_->prepare("SELECT body FROM members WHERE room_id = ?1 ORDER BY user_id");
  if (!q) return {};
  q->bind_all(room);
  auto rows = sqlite::fetch_all(*q, [](const Statement& s) -> Result<Member> { return member_from_json(decode(s.text(0))); });
  return rows ? *rows : std::vector<Member>{};
}

void LocalStore::advance_watermark(RoomId room, const Watermark& mark) {
  std::lock_guard lock(mutex_);
  if (auto q = db_->prepare("INSERT INTO watermarks (room_id, user_id, delivered_seq, read_seq) VALUES (?1, ?2, ?3, ?4) "
                            "ON CONFLICT (room_id, user_id) DO UPDATE SET "
                            "delivered_seq = MAX(delivered_seq, excluded.delivered_seq), "
                            "read_seq = MAX(read_seq, excluded.read_seq)")) {
    q->bind_all(room, mark.user, std::max(mark.delivered, mark.read), mark.read);
    run(*q);
  }
}

std::vector<Watermark> LocalStore::watermarks(RoomId room) {
  std::lock_guard lock(mutex_);
  auto q = db_->prepare("SELECT user_id, delivered_seq, read_seq FROM watermarks WHERE room_id = ?1");
  if (!q) return {};
  q->bind_all(room);
  auto rows = sqlite::fetch_all(*q, [](const Statement& s) -> Result<Watermark> {
    return Watermark{UserId{s.int64(0)}, s.int64(1), s.int64(2)};
  });
  return rows ? *rows : std::vector<Watermark>{};
}

}  // namespace parley::client
