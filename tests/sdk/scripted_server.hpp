#pragma once
// A server of the test's own that speaks HTTP and Parley's WebSocket as parleyd does, but
// answers as the test scripts it: odd shapes, wrong kinds, a close on a frame. For what a real
// parleyd never sends, so that the SDK's reading of it can be tested.
#include <boost/json/object.hpp>

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace parley::sdk_test {

struct HttpAnswer {
  int status = 200;
  std::string body;
};

struct WsAnswer {
  std::vector<std::string> frames;  // sent back in order
  bool close_bad_payload = false;   // then close with 1007, as a server refusing the frame
};

class ScriptedServer {
 public:
  // `http(method, target, body)` answers HTTP requests; `ws(request)` answers each WebSocket
  // frame that is a JSON object (other frames are ignored).
  ScriptedServer(std::function<HttpAnswer(const std::string& method, const std::string& target, const std::string& body)> http,
                 std::function<WsAnswer(const boost::json::object& request)> ws);
  ~ScriptedServer();
  ScriptedServer(const ScriptedServer&) = delete;
  ScriptedServer& operator=(const ScriptedServer&) = delete;

  [[nodiscard]] std::string url() const;

  // A reply frame: {"id", "ok": true, "data"}; or the raw text given.
  [[nodiscard]] static std::string ok(const boost::json::object& request, const boost::json::value& data);
  [[nodiscard]] static std::string refused(const boost::json::object& request, const std::string& code);

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace parley::sdk_test
