#pragma once
// The shared row mapping (store/row_mapping.hpp) under this backend's names.
#include "store/postgres/pg_connection.hpp"
#include "store/row_mapping.hpp"

namespace parley::store::postgres {

using ::parley::store::kMemberColumnCount;
using ::parley::store::kMessageColumnCount;
using ::parley::store::kRoomColumnCount;
using ::parley::store::kUserColumnCount;
using ::parley::store::id_list;
using ::parley::store::member_columns;
using ::parley::store::message_columns;
using ::parley::store::read_member;
using ::parley::store::read_message;
using ::parley::store::read_room;
using ::parley::store::read_room_with_member;
using ::parley::store::read_upload;
using ::parley::store::read_user;
using ::parley::store::read_user_settings;
using ::parley::store::room_columns;
using ::parley::store::upload_columns;
using ::parley::store::user_columns;

}  // namespace parley::store::postgres
