#include "server/service/jwt_parts.hpp"

#include <sodium.h>

#include <boost/json/parse.hpp>

namespace parley::service {
namespace {

namespace json = boost::json;

[[nodiscard]] std::optional<json::object> decode_object(std::string_view part) {
  auto bytes = base64url_decode(part);
  if (!bytes) return std::nullopt;
  boost::system::error_code ec;
  json::value value = json::parse(*bytes, ec);
  if (ec || !value.is_object()) return std::nullopt;
  return std::move(value.get_object());
}

[[nodiscard]] std::string string_field(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return value && value->is_string() ? std::string(value->get_string()) : std::string();
}

}  // namespace

std::optional<std::string> base64url_decode(std::string_view text) {
  std::string out(text.size() * 3 / 4 + 3, '\0');
  std::size_t size = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(), nullptr,
                        &size, &end, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      end != text.data() + text.size())
    return std::nullopt;
  out.resize(size);
  return out;
}

std::string base64url_encode(std::string_view bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(std::char_traits<char>::length(out.c_str()));
  return out;
}

Result<JwtParts> parse_jwt(std::string_view token) {
  if (token.empty()) return fail(ErrorCode::unauthorized, "an access token is required");
  if (token.size() > kMaxJwtBytes) return fail(ErrorCode::unauthorized, "the access token is too long");
  const auto first_dot = token.find('.');
  const auto second_dot = first_dot == std::string_view::npos ? first_dot : token.find('.', first_dot + 1);
  if (second_dot == std::string_view::npos || token.find('.', second_dot + 1) != std::string_view::npos)
    return fail(ErrorCode::unauthorized, "the access token is not a JWT (three parts separated by dots)");
  auto header = decode_object(token.substr(0, first_dot));
  if (!header) return fail(ErrorCode::unauthorized, "the access token's header is not base64url JSON");
  auto claims = decode_object(token.substr(first_dot + 1, second_dot - first_dot - 1));
  if (!claims) return fail(ErrorCode::unauthorized, "the access token's claims are not base64url JSON");
  auto signature = base64url_decode(token.substr(second_dot + 1));
  if (!signature) return fail(ErrorCode::unauthorized, "the access token's signature is not base64url");
  return JwtParts{
      .alg = string_field(*header, "alg"),
      .kid = string_field(*header, "kid"),
      .claims = std::move(*claims),
      .signing_input = token.substr(0, second_dot),
      .signature = std::move(*signature),
  };
}

}  // namespace parley::service
