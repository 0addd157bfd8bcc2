#!/usr/bin/env bash
# Sourced by scripts/test: the page tests drive Debian's Chromium (/usr/bin/chromium) through playwright-core.
# Installs the `chromium` package when it is missing; a browser is never downloaded by a test tool.
if [ ! -x /usr/bin/chromium ]; then
  echo "caller-memory: installing Debian's chromium for the page tests" >&2
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium >&2
fi
