#pragma once
// The fixture every store contract test derives from: a fresh, migrated database of the
// backend under test, a session on it, and helpers that build the rows a test needs.
#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

#include "store/store.hpp"
#include "store_backends.hpp"

namespace parley::store::testing {

// Thrown by must() after it has recorded the failure: gtest reports it and ends the test,
// which is what a failed precondition of a test should do.
struct PreconditionFailed : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The value of a Result the test relies on; fails the test when it is an error.
template <class T>
T must(Result<T> result, const char* what = "store call") {
  if (!result) {
    ADD_FAILURE() << what << " failed: " << to_string(result.error().code) << ": " << result.error().message;
    throw PreconditionFailed(what);
  }
  if constexpr (!std::is_void_v<T>) return std::move(*result);
}

class StoreContract : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override;

  StoreSession& db() { return *session_; }
  Store& store() { return *store_; }
  ScratchDatabase& database() { return *database_; }
  [[nodiscard]] std::unique_ptr<StoreSession> open_session();

  // A strictly increasing clock, so that "later" in a test is later in the store without the
  // test ever reading the real time.
  TimestampMs tick() { return clock_ += 1000; }

  domain::User add_user(const std::string& username);
  domain::Room add_group(UserId creator, const std::string& name = "team");
  // A direct room between a and b with both as members.
  domain::Room add_direct(UserId a, UserId b);
  void add_member(RoomId room, UserId user, domain::Role role = domain::Role::member);
  // The room as stored now; the test fails if there is none.
  domain::Room stored_room(RoomId room);
  // Appends in a transaction of its own.
  domain::Message append(const domain::Message& message);
  domain::Message send_text(RoomId room, UserId sender, const std::string& text);
  domain::Message send_system(RoomId room, UserId actor, domain::SystemEvent event, UserId target = {});
  [[nodiscard]] domain::Message text_message(RoomId room, UserId sender, const std::string& text);

 private:
  std::unique_ptr<ScratchDatabase> database_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<StoreSession> session_;
  TimestampMs clock_ = 1'700'000'000'000;
  int next_client_id_ = 0;
};

// The common start of a test about messages: alice's group, with bob as a member.
class StoreGroupOfTwo : public StoreContract {
 protected:
  void SetUp() override {
    StoreContract::SetUp();
    if (HasFatalFailure()) return;
    alice_ = add_user("alice");
    bob_ = add_user("bob");
    room_ = add_group(alice_.id);
    add_member(room_.id, bob_.id);
  }

  domain::User alice_, bob_;
  domain::Room room_;
};

}  // namespace parley::store::testing
