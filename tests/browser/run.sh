#!/usr/bin/env bash
# The browser tests and the Web Push service test: installs the npm packages (pinned in
# package-lock.json) when one is missing, then runs the test files given (by default the web
# client's) with node's own test runner.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/http_ece ] || [ ! -d node_modules/axe-core ]; then
  # A stalled download is given up after a minute and tried again: npm's own default waits
  # five minutes, as long as the whole test may take.
  npm ci --no-audit --no-fund --fetch-timeout=60000 --fetch-retries=4
fi
if [ $# -eq 0 ]; then
  set -- chat.test.mjs tls.test.mjs
fi
exec node --test --test-reporter=spec "$@"
