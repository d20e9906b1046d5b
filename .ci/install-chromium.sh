#!/usr/bin/env bash
# Install what the headless-browser tests of the HTML report need: Debian's chromium package
# (tests/browser/ renders report.html at desktop and phone widths and reads the screenshots).
# Idempotent: does nothing when a chromium binary is already on PATH.
#
# Usage: .ci/install-chromium.sh
set -euo pipefail

for bin in chromium chromium-browser google-chrome; do
  if command -v "$bin" >/dev/null 2>&1; then
    echo "install-chromium: $bin already installed ($(command -v "$bin")); nothing to do"
    exit 0
  fi
done

export DEBIAN_FRONTEND=noninteractive
SUDO=""
if [[ "$(id -u)" != "0" ]]; then SUDO="sudo"; fi
echo "install-chromium: apt-get install chromium fonts-dejavu-core"
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core
chromium --version
