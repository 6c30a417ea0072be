// The authorization policy, table-driven: every role against every action, in both kinds of room.
#include <gtest/gtest.h>

#include "domain/policy.hpp"

namespace parley::domain {
namespace {

enum class Who { non_member, member, admin };

struct Case {
  RoomKind kind;
  Who who;
  Action action;
  std::optional<ErrorCode> expected;  // nullopt: allowed
};

std::optional<Member> membership(Who who) {
  if (who == Who::non_member) return std::nullopt;
  return Member{RoomId{1}, UserId{7}, who == Who::admin ? Role::admin : Role::member, 0, 0, 0};
}

class PolicyTable : public ::testing::TestWithParam<Case> {};

TEST_P(PolicyTable, DecidesAsSpecified) {
  const Case& c = GetParam();
  Room room{RoomId{1}, c.kind, "r", 0, UserId{1}, 0};
  auto result = authorize(c.action, room, membership(c.who));
  if (c.expected) {
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code, *c.expected);
    EXPECT_FALSE(result.error().message.empty());
  } else {
    EXPECT_TRUE(result.has_value()) << result.error().message;
  }
}

std::vector<Case> all_cases() {
  const Action actions[] = {Action::read_room,   Action::send_message,  Action::list_members, Action::leave_room,
                            Action::rename_room, Action::add_member,    Action::remove_member, Action::change_role};
  auto is_reading = [](Action a) {
    return a == Action::read_room || a == Action::send_message || a == Action::list_members;
  };
  std::vector<Case> cases;
  for (Action a : actions) {
    // Whoever is not a member learns nothing, not even that the room exists.
    cases.push_back({RoomKind::group, Who::non_member, a, ErrorCode::not_found});
    cases.push_back({RoomKind::direct, Who::non_member, a, ErrorCode::not_found});
    // Group: members read, write and leave; only admins manage.
    bool member_may = is_reading(a) || a == Action::leave_room;
    cases.push_back({RoomKind::group, Who::member, a, member_may ? std::nullopt : std::optional(ErrorCode::forbidden)});
    cases.push_back({RoomKind::group, Who::admin, a, std::nullopt});
    // Direct: exactly two members, nothing to manage, nobody leaves.
    auto direct = is_reading(a) ? std::nullopt : std::optional(ErrorCode::forbidden);
    cases.push_back({RoomKind::direct, Who::member, a, direct});
    cases.push_back({RoomKind::direct, Who::admin, a, direct});
  }
  return cases;
}

INSTANTIATE_TEST_SUITE_P(EveryRoleEveryAction, PolicyTable, ::testing::ValuesIn(all_cases()));

TEST(Policy, RefusesToDemoteTheLastAdmin) {
  Member admin{RoomId{1}, UserId{1}, Role::admin, 0, 0, 0};
  auto refused = check_demotion(admin, Role::member, 1);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, ErrorCode::last_admin);
  EXPECT_TRUE(check_demotion(admin, Role::member, 2).has_value());
  EXPECT_TRUE(check_demotion(admin, Role::admin, 1).has_value());
  Member member{RoomId{1}, UserId{2}, Role::member, 0, 0, 0};
  EXPECT_TRUE(check_demotion(member, Role::member, 1).has_value());
}

}  // namespace
}  // namespace parley::domain
