#pragma once
// Typed reads of a request's fields. Each failure is an invalid_payload error that names the
// field, so a client developer sees at once what to fix.
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace parley::protocol {

class Fields {
 public:
  // `prefix` is prepended to field names in messages, e.g. "attachment.".
  explicit Fields(const boost::json::object& object, std::string prefix = "")
      : object_(object), prefix_(std::move(prefix)) {}

  [[nodiscard]] Result<std::string> required_string(std::string_view name) const;
  [[nodiscard]] Result<std::optional<std::string>> optional_string(std::string_view name) const;
  [[nodiscard]] Result<std::int64_t> required_int(std::string_view name) const;
  [[nodiscard]] Result<std::optional<std::int64_t>> optional_int(std::string_view name) const;
  [[nodiscard]] Result<bool> required_bool(std::string_view name) const;
  [[nodiscard]] Result<std::vector<std::int64_t>> optional_int_list(std::string_view name) const;
  [[nodiscard]] bool has(std::string_view name) const;

 private:
  [[nodiscard]] Error wrong_type(std::string_view name, std::string_view expected) const;
  [[nodiscard]] Error missing(std::string_view name) const;

  const boost::json::object& object_;
  std::string prefix_;
};

}  // namespace parley::protocol
