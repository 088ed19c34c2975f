#!/usr/bin/env bash
# Makes sure node 18 or later (its built-in test runner, node --test) and npm are on
# PATH for `make test-js` and `make sdks`: installs Debian's nodejs when it can (root with apt-get, as on CI),
# as ensure_browser.sh does for chromium. Unlike the browser test, the JavaScript
# unit tests have no skip: without node this fails and says why.
set -u
MIN=18
node_ok() {
  command -v node >/dev/null 2>&1 &&
    node -e "process.exit(Number(process.versions.node.split('.')[0]) >= $MIN ? 0 : 1)" >/dev/null 2>&1
}
npm_ok() { command -v npm >/dev/null 2>&1; }
if node_ok && npm_ok; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's nodejs for the JavaScript tests (once per machine)..."
  export DEBIAN_FRONTEND=noninteractive
  # npm (the SDK's tools, from sdks/typescript/package-lock.json) is its own Debian
  # package; some nodejs builds carry it already
  if apt-get update -qq >/dev/null 2>&1 && { node_ok || apt-get install -y -qq nodejs >/dev/null 2>&1; } \
      && { npm_ok || apt-get install -y -qq npm >/dev/null 2>&1; } && node_ok && npm_ok; then
    exit 0
  fi
  echo "Could not install nodejs $MIN or later with apt-get: the JavaScript tests cannot run." >&2
else
  echo "No node $MIN or later on PATH and no root apt-get to install it: the JavaScript" \
       "tests cannot run (sudo apt-get install nodejs)." >&2
fi
exit 1
