#include "server/api_key_command.hpp"

#include <ctime>

#include "server/service/api_keys.hpp"

namespace parley::server {
namespace {

// ISO 8601 in UTC to the second, or "-" for a time that is not set.
std::string when(std::optional<TimestampMs> ms) {
  if (!ms) return "-";
  const std::time_t seconds = static_cast<std::time_t>(*ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  const auto length = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return std::string(text, length);
}

int failed(std::ostream& err, const Error& error) {
  err << "parleyd api-keys: " << error.message << "\n";
  return error.code == ErrorCode::invalid_payload ? 2 : 1;
}

}  // namespace

int run_api_key_command(const ApiKeyCommand& command, store::StoreSession& session, std::ostream& out,
                        std::ostream& err) {
  using Action = ApiKeyCommand::Action;
  switch (command.action) {
    case Action::create: {
      auto created = service::create_api_key(session, command.name);
      if (!created) return failed(err, created.error());
      out << created->text << "\n";
      err << "API key " << created->key.id << " (" << created->key.name
          << ") made. Keep it now: it is not shown again, and only its hash is kept.\n";
      return 0;
    }
    case Action::list: {
      auto keys = service::list_api_keys(session);
      if (!keys) return failed(err, keys.error());
      out << "id\tname\tcreated\tlast_used\trevoked\n";
      for (const auto& key : *keys)
        out << key.id << "\t" << key.name << "\t" << when(key.created_at_ms) << "\t" << when(key.last_used_at_ms) << "\t"
            << when(key.revoked_at_ms) << "\n";
      return 0;
    }
    case Action::revoke: {
      if (auto revoked = service::revoke_api_key(session, command.id); !revoked) return failed(err, revoked.error());
      err << "API key " << command.id << " revoked: it is refused from its next request on.\n";
      return 0;
    }
    case Action::none: break;
  }
  return 2;
}

}  // namespace parley::server
