#!/usr/bin/env bash
# Installs Debian's PostgreSQL 15 for the @lenslet/postgres tests when it is missing (needs root or
# sudo). The tests start their own clusters (initdb + pg_ctl as the postgres user), so Debian's
# default cluster is not created.
set -euo pipefail
BIN=/usr/lib/postgresql/15/bin
if [ -x "$BIN/initdb" ] && [ -x "$BIN/pg_ctl" ] && [ -x "$BIN/pg_basebackup" ]; then
  echo "postgresql: $("$BIN/postgres" --version)"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO mkdir -p /etc/postgresql-common
if [ ! -f /etc/postgresql-common/createcluster.conf ]; then
  echo "create_main_cluster = false" | $SUDO tee /etc/postgresql-common/createcluster.conf >/dev/null
fi
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq postgresql-15 >/dev/null
echo "postgresql: $("$BIN/postgres" --version)"
