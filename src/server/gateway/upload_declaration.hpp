#pragma once
// What the header of POST /v1/uploads declares of the file that follows: its type from
// Content-Type, its name and dimensions from the query (docs/protocol.md, "Uploads").
#include <string_view>

#include "core/error.hpp"
#include "server/service/uploads_service.hpp"

namespace parley::gateway {

// `target` is the request target, path and query; invalid_payload names what is missing or wrong.
[[nodiscard]] Result<service::UploadDeclaration> read_upload_declaration(std::string_view target,
                                                                         std::string_view content_type);

}  // namespace parley::gateway
