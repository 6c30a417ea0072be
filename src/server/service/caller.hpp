#pragma once
#include <cstdint>

#include "core/ids.hpp"

namespace parley::service {

// Who is asking, as the gateway authenticated them.
struct Caller {
  UserId user;
  // The connection the request came on (0 over HTTP): it gets the reply, so events caused by
  // the request skip it.
  std::uint64_t connection = 0;
  // The login the caller's access token belongs to, as login_tag() (access_tokens.hpp) makes it.
  std::uint32_t login = 0;
};

}  // namespace parley::service
