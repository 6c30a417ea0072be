#include "domain/delivery.hpp"

namespace parley::domain {

std::string_view to_string(DeliveryStatus status) {
  switch (status) {
    case DeliveryStatus::pending: return "pending";
    case DeliveryStatus::delivered: return "delivered";
    case DeliveryStatus::failed: return "failed";
  }
  return "unknown";
}

std::optional<DeliveryStatus> delivery_status_from(std::string_view name) {
  for (auto status : {DeliveryStatus::pending, DeliveryStatus::delivered, DeliveryStatus::failed})
    if (to_string(status) == name) return status;
  return std::nullopt;
}

}  // namespace parley::domain
