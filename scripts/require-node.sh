# Sourced by the set-up scripts: fails early, and clearly, without Node.js 20+.
if ! command -v node >/dev/null 2>&1; then
  echo "Node.js 20 or newer is needed (https://nodejs.org or your distribution's nodejs package)." >&2
  exit 2
fi
if [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
  echo "Node.js 20 or newer is needed; this is $(node --version)." >&2
  exit 2
fi
