#!/usr/bin/env bash
# Installs Debian's chromium and chromium-driver for the browser tests when they are missing.
# When they cannot be installed, says so loudly; the browser tests then fail with that reason.
set -u
if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" != "0" ] && ! command -v sudo >/dev/null 2>&1; then
  echo "!!! chromium/chromedriver missing and not root: install Debian's chromium and chromium-driver for the browser tests" >&2
  exit 0
fi
SUDO=""; [ "$(id -u)" = "0" ] || SUDO="sudo"
echo "installing Debian's chromium and chromium-driver for the browser tests..."
$SUDO apt-get update -qq >/dev/null 2>&1
if ! DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null 2>&1; then
  echo "!!! could not install chromium/chromium-driver: the browser tests will fail" >&2
fi
exit 0
