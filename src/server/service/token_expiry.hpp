#pragma once

namespace parley::service {

// Whether a token past its expiry is refused (everywhere) or taken as who it names: only the key
// a Supabase Realtime client opens its connection with, which realtime-js never renews (its
// channels each need a live token; docs/supabase.md).
enum class Expiry { enforced, ignored };

}  // namespace parley::service
