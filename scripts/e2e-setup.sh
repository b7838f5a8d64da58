#!/usr/bin/env bash
# Installs what the end-to-end suite (test/e2e) needs: code-server (a complete VS Code with a Node
# extension host), playwright-core and Debian's Chromium. Idempotent: a finished install is reused.
#   HATOPO_E2E_CACHE   where code-server goes (default: ~/.cache/hatopo/e2e)
# Prints the install folder on its last line.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/require-node.sh

CODE_SERVER_VERSION=4.100.3 # the newest release whose engines.node is 20
PLAYWRIGHT_VERSION=1.65.1
CACHE="${HATOPO_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/hatopo/e2e}"
DIR="$CACHE/code-server-$CODE_SERVER_VERSION"
STAMP="$DIR/.installed"

packages=(chromium ripgrep libkrb5-dev libxkbfile-dev libsecret-1-dev pkg-config)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing Debian packages: ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ -f "$STAMP" ]; then
  echo "$DIR"
  exit 0
fi

echo "Installing code-server $CODE_SERVER_VERSION and playwright-core into $DIR (a few minutes, once)" >&2
rm -rf "$DIR"
mkdir -p "$DIR"
cd "$DIR"
npm init -y >/dev/null
# Install scripts are off: code-server's would download ripgrep. The native modules are rebuilt below.
npm_config_unsafe_perm=true npm install --no-audit --no-fund --ignore-scripts \
  "code-server@$CODE_SERVER_VERSION" "playwright-core@$PLAYWRIGHT_VERSION" >&2
npm_config_yes=true npm rebuild argon2 >&2

cd node_modules/code-server/lib/vscode
npm install --no-audit --no-fund --omit=dev --ignore-scripts >&2
npm_config_yes=true npm rebuild kerberos node-pty @parcel/watcher @vscode/spdlog @vscode/deviceid native-watchdog >&2
mkdir -p node_modules/@vscode/ripgrep/bin
ln -sf "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
ln -sfn node_modules node_modules.asar
(cd bin/remote-cli && ln -sf code-linux.sh code-server)
(cd bin/helpers && ln -sf browser-linux.sh browser.sh)
(cd extensions && npm install --no-audit --no-fund --omit=dev --ignore-scripts >&2)

echo "$CODE_SERVER_VERSION" >"$STAMP"
echo "$DIR"
