#!/usr/bin/env bash
# Install Debian's Chromium for the browser tests when it is missing.
# Playwright drives this binary; its own browser download does not work on these machines.
set -u
CHROMIUM="${SEAL_CHROMIUM:-/usr/bin/chromium}"

if [ -x "$CHROMIUM" ]; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "Chromium is missing at $CHROMIUM and cannot be installed here (apt-get as root is" \
        "needed); browser tests will skip outside CI." >&2
    exit 1
fi
echo "Installing Debian's chromium for the browser tests." >&2
export DEBIAN_FRONTEND=noninteractive
if apt-get update -qq && apt-get install -y -qq chromium >/dev/null; then
    exit 0
fi
echo "apt-get could not install chromium; browser tests will skip outside CI." >&2
exit 1
