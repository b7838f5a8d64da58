#!/usr/bin/env bash
# Installs the npm dependencies, builds the extension, language server and CLI, and checks examples/.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/require-node.sh
npm ci --no-audit --no-fund
npm run build
node dist/hatopo.js check examples/ || [ $? -eq 1 ]   # examples/ holds deliberate mistakes: exit 1 is expected
