#include "client/c_api_requests.hpp"

namespace parley::c_api {

const RequestKind* find_request(std::string_view type) {
  static const RequestTable table = [] {
    RequestTable t;
    add_account_requests(t);
    add_room_requests(t);
    add_message_requests(t);
    return t;
  }();
  auto it = table.find(type);
  return it == table.end() ? nullptr : &it->second;
}

}  // namespace parley::c_api
