#!/usr/bin/env bash
# The official Supabase clients against a real parleyd: installs the npm packages pinned in
# package-lock.json when one is missing or is not the pinned version, then runs the test files
# given (by default all of them) with node's own test runner. PARLEYD names the server binary.
set -euo pipefail
cd "$(dirname "$0")"
installed_as_locked() {
  node -e '
    const fs = require("fs");
    const locked = JSON.parse(fs.readFileSync("package-lock.json", "utf8")).packages;
    for (const [path, entry] of Object.entries(locked)) {
      if (!path) continue;
      const installed = JSON.parse(fs.readFileSync(`${path}/package.json`, "utf8")).version;
      if (installed !== entry.version) process.exit(1);
    }' 2>/dev/null
}
if ! installed_as_locked; then
  # A stalled download is given up after a minute and tried again: npm's own default waits
  # five minutes, as long as the whole test may take.
  npm ci --no-audit --no-fund --fetch-timeout=60000 --fetch-retries=4
fi
if [ $# -eq 0 ]; then
  set -- realtime.test.mjs rest.test.mjs token_expiry.test.mjs
fi
exec node --test --test-reporter=spec "$@"
