#!/bin/sh
# Install Debian's chromium (and Noto's Arabic fonts) for the browser tests, when missing.
# Idempotent and non-interactive; uses only the distribution's packages (no browser download).
set -eu

missing=""
[ -x /usr/bin/chromium ] || missing="$missing chromium"
if ! (command -v fc-list >/dev/null 2>&1 && fc-list | grep -q "Noto Naskh Arabic"); then
    missing="$missing fonts-noto-core"
fi
if [ -z "$missing" ]; then
    echo "browser ready: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO="sudo"
    else
        echo "install_browser.sh: need root (or sudo) to install:$missing" >&2
        exit 2
    fi
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086 # the package list is meant to split
$SUDO apt-get install -y -q --no-install-recommends $missing
echo "browser ready: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
