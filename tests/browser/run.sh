#!/usr/bin/env bash
# The browser tests and the Web Push service test: installs the npm packages (pinned in
# package-lock.json) when one is missing, then runs the test files given (by default the web
# client's) with node's own test runner.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/http_ece ] || [ ! -d node_modules/axe-core ]; then
  npm ci --no-audit --no-fund
fi
if [ $# -eq 0 ]; then
  set -- chat.test.mjs tls.test.mjs
fi
exec node --test --test-reporter=spec "$@"
