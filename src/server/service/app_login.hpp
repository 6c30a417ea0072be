#pragma once
// The login an app token stands for: it has no refresh token family of Parley's to end (the
// app signs its users out with its provider), and this prefix never begins a family id. Ending
// it closes the connections opened with the user's app tokens.
#include <string>

namespace parley::service {

[[nodiscard]] inline std::string app_login(const std::string& external_id) { return "app:" + external_id; }

}  // namespace parley::service
