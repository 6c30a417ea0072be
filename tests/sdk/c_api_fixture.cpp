#include "c_api_fixture.hpp"

#include <stdexcept>

namespace parley::c_api_test {

json::object take(char* text) {
  if (!text) throw std::runtime_error("the library returned NULL");
  std::string copy(text);
  parley_string_free(text);
  json::value v = json::parse(copy);
  if (!v.is_object()) throw std::runtime_error("not a JSON object: " + copy);
  return v.get_object();
}

std::string options_for(const TestServer& server, const std::filesystem::path& dir, const json::object& more) {
  json::object o{{"server", server.base_url()}, {"data_dir", dir.string()}, {"reconnect_min_ms", 50}, {"reconnect_max_ms", 500}};
  for (const auto& field : more) o[field.key()] = field.value();
  return json::serialize(o);
}

CClient::CClient(const TestServer& server, const std::filesystem::path& dir, const json::object& more_options) {
  char* error = nullptr;
  handle_ = parley_client_open(options_for(server, dir, more_options).c_str(), &error);
  if (!handle_) throw std::runtime_error("cannot open the client: " + json::serialize(take(error)));
}

CClient::~CClient() { parley_client_close(handle_); }

json::object CClient::execute(const json::object& request) {
  return take(parley_client_execute(handle_, json::serialize(request).c_str()));
}

json::value CClient::data(const json::object& request) {
  auto answer = execute(request);
  if (!answer.at("ok").as_bool())
    throw std::runtime_error(json::serialize(request) + " answered " + json::serialize(answer));
  return answer.at("data");
}

json::array CClient::messages(std::int64_t room) {
  return data({{"type", "messages"}, {"room_id", room}, {"limit", 1000}}).at("messages").as_array();
}

void CClient::send(const json::object& request) {
  if (parley_client_send(handle_, json::serialize(request).c_str()) != 0) throw std::runtime_error("send refused");
}

std::optional<json::object> CClient::receive_until(const std::function<bool(const json::object&)>& wanted,
                                                   double quiet_seconds) {
  for (;;) {
    char* text = parley_client_receive(handle_, quiet_seconds);
    if (!text) return std::nullopt;
    auto update = take(text);
    if (wanted(update)) return update;
    seen_.push_back(std::move(update));
  }
}

json::object CClient::answer_to(const json::value& extra) {
  auto answer = receive_until([&](const json::object& u) {
    return u.at("type") == "answer" && u.at("@extra") == extra;
  });
  if (!answer) throw std::runtime_error("no answer came for @extra " + json::serialize(extra));
  return *answer;
}

json::object CClient::sign_up_online(const std::string& username) {
  auto user = data({{"type", "register"}, {"username", username}, {"password", "password-" + username}});
  data({{"type", "connect"}});
  if (!data({{"type", "wait_online"}, {"timeout_ms", 15000}}).at("online").as_bool())
    throw std::runtime_error(username + " never came online");
  return user.as_object();
}

::testing::AssertionResult is_error(const json::object& answer, const std::string& code, const std::string& field) {
  if (answer.at("ok").as_bool()) return ::testing::AssertionFailure() << "ok: " << json::serialize(answer);
  const auto& error = answer.at("error").as_object();
  if (error.at("code") != code.c_str()) return ::testing::AssertionFailure() << "code is not " << code << ": " << json::serialize(answer);
  if (!field.empty() && std::string(error.at("message").as_string()).find(field) == std::string::npos)
    return ::testing::AssertionFailure() << "the message does not name " << field << ": " << json::serialize(answer);
  return ::testing::AssertionSuccess();
}

}  // namespace parley::c_api_test
