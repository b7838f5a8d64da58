#!/usr/bin/env bash
# Installs everything the test suites need — npm packages, the real programs the differential
# suites compare against (Debian packages), and real VS Code for the end-to-end suite — then builds
# and runs every suite.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/require-node.sh

# haproxy, redis-server, redis-sentinel: the differential suites run the real programs.
# python3-yaml (PyYAML, as Patroni reads YAML) and kubectl (as kubectl reads manifests): the oracles
# of the YAML differential suites; Debian's kubernetes-client provides kubectl where none is installed.
# strace: the test that no file or address named in a config is opened traces the CLI and the server.
# patroni, etcd, postgresql-15: the live suites run real clusters on loopback (test/live/lab).
packages=(haproxy redis-server redis-sentinel python3-yaml strace patroni etcd-server etcd-client python3-etcd python3-psycopg2 postgresql-15 postgresql-client-15 openssl)
command -v kubectl >/dev/null || packages+=(kubernetes-client)
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
# Real VS Code: code-server and Chromium (installed once into the user's cache folder).
bash scripts/e2e-setup.sh >/dev/null
node test/run.mjs e2e
