#!/usr/bin/env bash
# The browser tests: installs playwright-core (pinned in package-lock.json) the first time,
# then runs them with node's own test runner.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -d node_modules/playwright-core ]; then
  npm ci --no-audit --no-fund
fi
exec node --test --test-reporter=spec chat.test.mjs tls.test.mjs
