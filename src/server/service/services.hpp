#pragma once
// Every use case of the server, for the gateway to call.
#include "server/service/accounts_service.hpp"
#include "server/service/api_keys.hpp"
#include "server/service/app_users.hpp"
#include "server/service/authenticator.hpp"
#include "server/service/members_service.hpp"
#include "server/service/messages_service.hpp"
#include "server/service/presence_service.hpp"
#include "server/service/push_targets_service.hpp"
#include "server/service/realtime_relay.hpp"
#include "server/service/receipts_service.hpp"
#include "server/service/settings_service.hpp"
#include "server/service/sync_service.hpp"
#include "server/service/typing_service.hpp"
#include "server/service/uploads_service.hpp"
#include "server/service/rooms_service.hpp"
#include "server/service/web_push.hpp"
#include "server/service/webhook_deliveries_service.hpp"

namespace parley::service {

struct Services {
  AccountsService& accounts;
  SettingsService& settings;
  RoomsService& rooms;
  MembersService& members;
  MessagesService& messages;
  ReceiptsService& receipts;
  TypingService& typing;
  PresenceService& presence;
  SyncService& sync;
  UploadsService& uploads;
  Authenticator& authenticator;
  ApiKeys& api_keys;
  AppUsers& app_users;
  WebhookDeliveriesService& webhook_deliveries;
  PushTargetsService& push_targets;
  const WebPushSigner& web_push;
  RealtimeRelay& realtime_relay;
};

}  // namespace parley::service
