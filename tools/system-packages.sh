#!/usr/bin/env bash
# Install the Debian packages the end-to-end tests and `make bench` start: Chromium (the web
# widget test), PostgreSQL and Redis (the production configuration). Does nothing when all
# are present; as root it installs what is missing with apt-get, otherwise it says what to run.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v redis-server >/dev/null || missing+=(redis-server)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    printf 'error: missing system packages: %s\n  install them with: sudo apt-get install -y %s\n' \
        "${missing[*]}" "${missing[*]}" >&2
    exit 1
fi
echo "Installing ${missing[*]} (Debian packages)"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q "${missing[@]}" >/dev/null 2>&1 || {
    apt-get update -q >/dev/null && apt-get install -y -q "${missing[@]}" >/dev/null
}
# The package starts cluster-wide services the tests do not use; they start their own.
service redis-server stop >/dev/null 2>&1 || true
service postgresql stop >/dev/null 2>&1 || true
