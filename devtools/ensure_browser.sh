#!/usr/bin/env bash
# Installs Debian's chromium for the widget's browser test when it can (root with
# apt-get, as on CI); otherwise says why the browser test will be skipped.
# Never fails the build by itself: the test reports a skip with the reason.
set -u
if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser test (once per machine)..."
  export DEBIAN_FRONTEND=noninteractive
  if apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq chromium >/dev/null 2>&1; then
    exit 0
  fi
  echo "Could not install chromium; the browser test will be skipped." >&2
else
  echo "No chromium and no root apt-get: the browser test will be skipped" \
       "(sudo apt-get install chromium to run it)." >&2
fi
exit 0
