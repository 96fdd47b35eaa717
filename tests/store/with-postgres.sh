#!/usr/bin/env bash
# Runs a command against a private, throw-away PostgreSQL server: initdb in a temporary
# directory, listen on a free loopback port and a private socket directory, create a database,
# export ASPM_STORE_TEST_DB=postgresql://…, run the command, and stop the server on any exit.
# Usage: with-postgres.sh <command...>
set -euo pipefail
pgbin=""
for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && pgbin="$d"; done
if [ -z "$pgbin" ]; then
  echo "with-postgres.sh: PostgreSQL server binaries not found: apt-get install postgresql" >&2
  exit 1
fi
as_pg=()
if [ "$(id -u)" = 0 ]; then
  # initdb refuses to run as root; the cluster belongs to the postgres system user.
  id postgres >/dev/null 2>&1 || { echo "with-postgres.sh: no 'postgres' user (apt-get install postgresql)" >&2; exit 1; }
  as_pg=(runuser -u postgres --)
fi

dir=$(mktemp -d /tmp/aspm-pg-XXXXXX)
chmod 755 "$dir"
mkdir "$dir/data" "$dir/sock"
[ "${#as_pg[@]}" -gt 0 ] && chown -R postgres "$dir"

cleanup() {
  "${as_pg[@]}" "$pgbin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT INT TERM

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"${as_pg[@]}" "$pgbin/initdb" -D "$dir/data" -U aspm --auth=trust -E UTF8 >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log" >&2; exit 1; }
"${as_pg[@]}" "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-p $port -k $dir/sock -c listen_addresses=127.0.0.1 -c fsync=on" start >/dev/null \
  || { cat "$dir/server.log" >&2; exit 1; }
"${as_pg[@]}" "$pgbin/createdb" -h 127.0.0.1 -p "$port" -U aspm aspm_store_test

export ASPM_STORE_TEST_DB="postgresql://aspm@127.0.0.1:$port/aspm_store_test"
"$@"
