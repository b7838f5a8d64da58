#!/usr/bin/env bash
# Installs everything the test suites need — npm packages and the real programs the differential
# suites compare against (Debian packages) — then builds and runs every suite.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/require-node.sh

packages=(haproxy redis-server redis-sentinel)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq
  # Packages must not start their services here: the suites start what they need on loopback.
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

npm ci --no-audit --no-fund
npm test
