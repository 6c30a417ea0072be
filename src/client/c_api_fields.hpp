#pragma once
// Strict reading of a request's fields: a required field that is missing, or any field of the
// wrong JSON type, is the error invalid_payload naming the field, never a silent "" or 0 that
// the server would then refuse with a misleading code. An optional field given as null reads
// as absent.
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <parley/error.hpp>
#include <parley/ids.hpp>
#include <parley/types.hpp>

namespace parley::c_api {

class Fields {
 public:
  explicit Fields(const boost::json::object& request) : request_(request) {}

  [[nodiscard]] Result<std::string> text(std::string_view key) const;
  [[nodiscard]] Result<std::optional<std::string>> optional_text(std::string_view key) const;
  [[nodiscard]] Result<std::int64_t> integer(std::string_view key) const;
  [[nodiscard]] Result<std::optional<std::int64_t>> optional_integer(std::string_view key) const;
  // An id: an integer above 0.
  [[nodiscard]] Result<std::int64_t> id(std::string_view key) const;
  [[nodiscard]] Result<RoomId> room_id() const;
  [[nodiscard]] Result<UserId> user_id() const;
  // An optional array of user ids.
  [[nodiscard]] Result<std::vector<UserId>> user_ids(std::string_view key) const;
  // An optional attachment object: upload_id required; name, mime_type, size, width, height,
  // duration_ms optional.
  [[nodiscard]] Result<std::optional<Attachment>> attachment(std::string_view key) const;

 private:
  const boost::json::object& request_;
};

}  // namespace parley::c_api
