#!/usr/bin/env bash
# Installs Debian's HAProxy for the tests that run several replicas behind a load balancer (needs
# root or sudo). The tests start their own haproxy with a generated config on free ports, so the
# package's service is not used (and is stopped if the package started it).
set -euo pipefail
BIN=/usr/sbin/haproxy
if [ -x "$BIN" ]; then
  echo "haproxy: $("$BIN" -v | head -n 1)"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq haproxy >/dev/null
if command -v systemctl >/dev/null 2>&1; then $SUDO systemctl disable --now haproxy >/dev/null 2>&1 || true; fi
echo "haproxy: $("$BIN" -v | head -n 1)"
