// The C API's requests: strict fields, NULL handles, @extra, and every request type against a
// real parleyd.
#include <fstream>

#include "c_api_fixture.hpp"
#include "support/api_key_cli.hpp"
#include "support/http_client.hpp"

namespace parley::c_api_test {
namespace {

TEST(CApi, SaysItsVersion) {
  EXPECT_STREQ(parley_version(), "0.2.0");
  EXPECT_EQ(PARLEY_VERSION_MAJOR, 0);
  EXPECT_EQ(PARLEY_VERSION_MINOR, 2);
}

TEST(CApi, OpenRefusesMissingOrMistypedOptions) {
  auto open_error = [](const char* options) {
    char* error = nullptr;
    parley_client* handle = parley_client_open(options, &error);
    EXPECT_EQ(handle, nullptr);
    parley_client_close(handle);
    return take(error);
  };
  auto e = open_error(R"({"data_dir":"x"})");
  EXPECT_EQ(e.at("code"), "invalid_payload");
  EXPECT_NE(std::string(e.at("message").as_string()).find("server"), std::string::npos);
  e = open_error(R"({"server":"http://127.0.0.1:1","data_dir":7})");
  EXPECT_EQ(e.at("code"), "invalid_payload");
  EXPECT_NE(std::string(e.at("message").as_string()).find("data_dir"), std::string::npos);
  EXPECT_EQ(open_error("not json").at("code"), "malformed_json");
  EXPECT_EQ(open_error(nullptr).at("code"), "malformed_json");
  EXPECT_EQ(parley_client_open(nullptr, nullptr), nullptr);  // no error wanted: none given
}

TEST(CApi, NullHandlesAnswerInsteadOfCrashing) {
  EXPECT_EQ(parley_client_send(nullptr, R"({"type":"me"})"), -1);
  EXPECT_EQ(parley_client_receive(nullptr, 0), nullptr);
  parley_client_close(nullptr);
  parley_string_free(nullptr);
  auto answer = take(parley_client_execute(nullptr, R"({"type":"me","@extra":"x"})"));
  EXPECT_TRUE(is_error(answer, "invalid_payload"));
  EXPECT_EQ(answer.at("@extra"), "x");

  TestServer server;
  ScratchDir dir;
  CClient c(server, dir.path());
  EXPECT_EQ(parley_client_send(c.handle(), nullptr), -1);
  EXPECT_TRUE(is_error(take(parley_client_execute(c.handle(), nullptr)), "malformed_json"));
  EXPECT_EQ(parley_client_receive(c.handle(), 0), nullptr);  // nothing was queued
}

TEST(CApi, MissingOrMistypedFieldsAreInvalidPayloadNamingTheField) {
  TestServer server;
  ScratchDir dir;
  CClient c(server, dir.path());
  EXPECT_TRUE(is_error(c.execute({{"type", "register"}, {"username", "ann"}}), "invalid_payload", "password"));
  EXPECT_TRUE(is_error(c.execute({{"type", "login"}, {"username", 5}, {"password", "x"}}), "invalid_payload", "username"));
  EXPECT_TRUE(is_error(c.execute({{"type", "send_text"}, {"room_id", "3"}, {"text", "hi"}}), "invalid_payload", "room_id"));
  EXPECT_TRUE(is_error(c.execute({{"type", "send_text"}, {"room_id", 3}}), "invalid_payload", "text"));
  EXPECT_TRUE(is_error(c.execute({{"type", "messages"}, {"room_id", 1.5}}), "invalid_payload", "room_id"));
  EXPECT_TRUE(is_error(c.execute({{"type", "messages"}, {"room_id", 0}}), "invalid_payload", "room_id"));
  EXPECT_TRUE(is_error(c.execute({{"type", "messages"}, {"room_id", 1}, {"limit", "10"}}), "invalid_payload", "limit"));
  EXPECT_TRUE(is_error(c.execute({{"type", "create_group"}, {"name", "g"}, {"members", json::array{1, "two"}}}),
                       "invalid_payload", "members"));
  EXPECT_TRUE(is_error(c.execute({{"type", "wait_online"}}), "invalid_payload", "timeout_ms"));
  EXPECT_TRUE(is_error(c.execute({{"type", "add_member"}, {"room_id", 1}}), "invalid_payload", "user_id"));
  EXPECT_TRUE(is_error(c.execute({{"type", "send"}, {"room_id", 1}, {"message_type", "image"},
                                  {"attachment", json::object{{"name", "a.png"}}}}),
                       "invalid_payload", "attachment.upload_id"));
  EXPECT_TRUE(is_error(c.execute({{"type", "presence"}, {"user_id", json::value(nullptr)}}), "invalid_payload", "user_id"));
  EXPECT_TRUE(is_error(c.execute({{"type", "no_such_thing"}}), "unknown_op", "no_such_thing"));
  EXPECT_TRUE(is_error(c.execute({{"text", "no type"}}), "invalid_payload", "type"));
  EXPECT_TRUE(is_error(take(parley_client_execute(c.handle(), "[1,2]")), "malformed_json"));
  EXPECT_TRUE(is_error(take(parley_client_execute(c.handle(), "{\"type\":")), "malformed_json"));
  // The same through send: the answer is an update, with the request's @extra.
  c.send({{"type", "find_user"}, {"@extra", 41}});
  auto answer = c.answer_to(41);
  EXPECT_TRUE(is_error(answer, "invalid_payload", "username"));
  ASSERT_EQ(parley_client_send(c.handle(), "not json"), 0);
  auto refused = c.receive_until([](const json::object& u) { return u.at("type") == "answer"; });
  ASSERT_TRUE(refused);
  EXPECT_TRUE(refused->at("@extra").is_null());
  EXPECT_TRUE(is_error(*refused, "malformed_json"));
}

TEST(CApi, ExtraComesBackAsGiven) {
  TestServer server;
  ScratchDir dir;
  CClient c(server, dir.path());
  const json::value extra = json::parse(R"({"request":7,"tags":["a",null,1.5]})");
  c.send({{"type", "me"}, {"@extra", extra}});
  auto answer = c.answer_to(extra);
  EXPECT_TRUE(answer.at("ok").as_bool());
  EXPECT_TRUE(answer.at("data").is_null());  // nobody signed in yet
  auto executed = c.execute({{"type", "connection_state"}, {"@extra", "mine"}});
  EXPECT_EQ(executed.at("@extra"), "mine");
  EXPECT_EQ(executed.at("data").at("state"), "offline");
  EXPECT_FALSE(c.execute({{"type", "connection_state"}}).contains("@extra"));
  c.send({{"type", "connection_state"}});
  auto plain = c.receive_until([](const json::object& u) { return u.at("type") == "answer"; });
  ASSERT_TRUE(plain);
  EXPECT_TRUE(plain->at("@extra").is_null());
}

std::int64_t id_of(const json::value& v) { return v.at("id").as_int64(); }

TEST(CApi, ABotIsToldFromAPerson) {
  TestServer server;
  ScratchDir dirs;
  const std::string key = test::create_api_key(server, "backend").key;
  test::HttpResponse made = test::http_json(server.port(), "POST", "/v1/server/users",
                                            {{"external_id", "bot|support"}, {"username", "support-bot"}, {"bot", true}}, key);
  ASSERT_EQ(made.status, 200) << made.body;
  CClient alice(server, dirs.sub("alice"));
  alice.sign_up_online("alice");
  const json::value bot = alice.data({{"type", "find_user"}, {"username", "support-bot"}});
  EXPECT_EQ(bot.at("bot"), true);
  const json::value person = alice.data({{"type", "me"}});
  EXPECT_EQ(person.as_object().if_contains("bot"), nullptr) << "a person's User has no bot field";
}

TEST(CApi, EveryCallOfTheCppClientHasARequest) {
  TestServer server;
  ScratchDir dirs;
  CClient alice(server, dirs.sub("alice"));
  CClient bob(server, dirs.sub("bob"));
  auto alice_user = alice.sign_up_online("alice");
  auto bob_user = bob.sign_up_online("bob");
  const std::int64_t bob_id = bob_user.at("id").as_int64();

  EXPECT_EQ(alice.data({{"type", "me"}}).at("username"), "alice");
  EXPECT_EQ(alice.data({{"type", "find_user"}, {"username", "bob"}}).at("id"), bob_id);
  EXPECT_EQ(alice.data({{"type", "connection_state"}}).at("state"), "online");

  const auto room = id_of(alice.data({{"type", "create_group"}, {"name", "Plans"}}));
  EXPECT_EQ(alice.data({{"type", "room"}, {"room_id", room}}).at("name"), "Plans");
  EXPECT_TRUE(alice.data({{"type", "room"}, {"room_id", 999999}}).is_null());
  alice.data({{"type", "rename_group"}, {"room_id", room}, {"name", "Better plans"}});
  EXPECT_EQ(alice.data({{"type", "room"}, {"room_id", room}}).at("name"), "Better plans");

  EXPECT_EQ(alice.data({{"type", "add_member"}, {"room_id", room}, {"user_id", bob_id}}).at("role"), "member");
  EXPECT_EQ(alice.data({{"type", "members"}, {"room_id", room}}).at("members").as_array().size(), 2u);
  EXPECT_EQ(alice.data({{"type", "cached_members"}, {"room_id", room}}).at("members").as_array().size(), 2u);
  EXPECT_EQ(alice.data({{"type", "set_role"}, {"room_id", room}, {"user_id", bob_id}, {"role", "admin"}}).at("role"), "admin");
  alice.data({{"type", "remove_member"}, {"room_id", room}, {"user_id", bob_id}});
  EXPECT_EQ(alice.data({{"type", "members"}, {"room_id", room}}).at("members").as_array().size(), 1u);
  EXPECT_EQ(alice.data({{"type", "add_member"}, {"room_id", room}, {"user_id", bob_id}, {"role", "admin"}}).at("role"), "admin");
  bob.data({{"type", "leave"}, {"room_id", room}});
  EXPECT_EQ(alice.data({{"type", "members"}, {"room_id", room}}).at("members").as_array().size(), 1u);

  auto sent = alice.data({{"type", "send"}, {"room_id", room}, {"message_type", "text"}, {"text", "through send"}});
  EXPECT_EQ(sent.at("state"), "pending");
  EXPECT_EQ(sent.at("text"), "through send");
  EXPECT_TRUE(alice.data({{"type", "typing"}, {"room_id", room}}).at("user_ids").is_array());
  auto presence = alice.data({{"type", "presence"}, {"user_id", bob_id}});
  EXPECT_TRUE(presence.is_null() || presence.at("user_id") == bob_id);
  alice.data({{"type", "start_typing"}, {"room_id", room}});
  alice.data({{"type", "stop_typing"}, {"room_id", room}});
  alice.data({{"type", "set_presence"}, {"status", "busy"}});

  // A file: progress comes as updates carrying the request's @extra, then the message goes.
  const auto file = dirs.sub("report.bin");
  std::ofstream(file, std::ios::binary) << std::string(200'000, 'p');
  alice.send({{"type", "send_file"}, {"room_id", room}, {"path", file.string()}, {"caption", "the report"}, {"@extra", "file"}});
  auto answer = alice.answer_to("file");
  ASSERT_TRUE(answer.at("ok").as_bool()) << json::serialize(answer);
  const std::string file_msg_id(answer.at("data").at("client_msg_id").as_string());
  auto last_progress = alice.receive_until([](const json::object& u) {
    return u.at("type") == "transfer_progress" && u.at("done") == u.at("total");
  });
  ASSERT_TRUE(last_progress);
  EXPECT_EQ(last_progress->at("@extra"), "file");
  EXPECT_EQ(last_progress->at("total"), 200'000);
  EXPECT_TRUE(alice.data({{"type", "wait_outbox_empty"}, {"timeout_ms", 15000}}).at("empty").as_bool());
  std::string upload_id;
  for (const auto& m : alice.messages(room))
    if (m.at("client_msg_id") == file_msg_id.c_str()) upload_id = m.at("attachment").at("upload_id").as_string();
  ASSERT_FALSE(upload_id.empty());
  auto downloaded = alice.data({{"type", "download"}, {"upload_id", upload_id}});
  EXPECT_EQ(std::filesystem::file_size(std::string(downloaded.at("path").as_string())), 200'000u);

  auto found = alice.data({{"type", "search"}, {"query", "through"}, {"room_id", room}, {"limit", 5}});
  ASSERT_EQ(found.at("results").as_array().size(), 1u) << json::serialize(found);
  EXPECT_EQ(found.at("results").at(0).at("snippet"), "through send");
  // Parsed, not braced: clang reads json::array{json::array{...}} as a copy, not a nesting.
  EXPECT_EQ(found.at("results").at(0).at("highlights"), json::parse("[[0, 7]]"));
  EXPECT_FALSE(found.as_object().contains("next_cursor"));
  EXPECT_TRUE(alice.data({{"type", "load_older"}, {"room_id", room}, {"limit", 10}}).at("messages").is_array());
  alice.data({{"type", "mark_read"}, {"room_id", room}});
  alice.data({{"type", "disconnect"}});
  alice.data({{"type", "logout"}});
  EXPECT_TRUE(alice.data({{"type", "me"}}).is_null());
  EXPECT_EQ(alice.data({{"type", "login"}, {"username", "alice"}, {"password", "password-alice"}}).at("id"),
            alice_user.at("id"));
}

TEST(CApi, AFailedMessageIsRetriedAndDiscarded) {
  TestServer server;
  ScratchDir dir;
  CClient c(server, dir.path());
  c.sign_up_online("carol");
  const auto room = id_of(c.data({{"type", "create_group"}, {"name", "Attempts"}}));
  // An image whose attachment says audio: the server refuses it, now and on every retry.
  auto refused = c.data({{"type", "send"}, {"room_id", room}, {"message_type", "image"},
                         {"attachment", {{"upload_id", ""}, {"name", "song.ogg"}, {"mime_type", "audio/ogg"}, {"size", 1234}}}});
  const std::string id(refused.at("client_msg_id").as_string());
  auto failed_update = [&](const json::object& u) {
    return u.at("type") == "message" && u.at("message").at("client_msg_id") == id.c_str() &&
           u.at("message").at("state") == "failed";
  };
  ASSERT_TRUE(c.receive_until(failed_update));
  c.data({{"type", "retry"}, {"client_msg_id", id}});
  ASSERT_TRUE(c.receive_until(failed_update));  // tried again, refused again
  c.data({{"type", "discard"}, {"client_msg_id", id}});
  for (const auto& m : c.messages(room))
    EXPECT_NE(m.at("client_msg_id"), id.c_str());
  EXPECT_TRUE(is_error(c.execute({{"type", "discard"}, {"client_msg_id", id}}), "not_found"));
  EXPECT_TRUE(is_error(c.execute({{"type", "retry"}, {"client_msg_id", id}}), "not_found"));
}

}  // namespace
}  // namespace parley::c_api_test
