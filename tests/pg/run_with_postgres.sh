#!/usr/bin/env bash
# Runs CMD with a throwaway PostgreSQL server: a new cluster in a temporary directory, listening on
# 127.0.0.1 only at a free port, with a database and user `tsq` whose password is random; CMD sees
# TSQ_TEST_POSTGRES_URI=postgresql://tsq:<password>@127.0.0.1:<port>/tsq. The server is stopped
# and the directory removed however CMD ends. Exits with CMD's status.
# Usage: run_with_postgres.sh CMD [ARG...]
# The server's binaries: TSQ_PG_BINDIR, else the newest /usr/lib/postgresql/*/bin (Debian).
set -euo pipefail

if (($# == 0)); then
  echo "usage: $0 CMD [ARG...]" >&2
  exit 2
fi

bindir=${TSQ_PG_BINDIR:-}
if [[ -z $bindir ]]; then
  bindir=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -1)
fi
if [[ -z $bindir || ! -x $bindir/initdb || ! -x $bindir/pg_ctl || ! -x $bindir/psql ]]; then
  echo "run_with_postgres.sh: no PostgreSQL server found (initdb, pg_ctl under" \
    "/usr/lib/postgresql/*/bin); run scripts/install-deps.sh, or set TSQ_PG_BINDIR" >&2
  exit 1
fi

# initdb refuses to run as root: then the server runs as an unprivileged user, in a directory under
# /tmp (which that user can reach) given to it.
as_server=()
parent=${TMPDIR:-/tmp}
if [[ $(id -u) -eq 0 ]]; then
  server_user=postgres
  id -u "$server_user" >/dev/null 2>&1 || server_user=nobody
  as_server=(runuser -u "$server_user" --)
  parent=/tmp
fi
dir=$(mktemp -d "$parent/tsq-pg.XXXXXX")
if ((${#as_server[@]})); then chown "$server_user" "$dir"; fi

cleanup() {
  local status=$?
  if [[ -f $dir/data/postmaster.pid ]]; then
    (cd "$dir" && "${as_server[@]}" "$bindir/pg_ctl" stop -D "$dir/data" -m immediate -w) \
      >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  exit "$status"
}
trap cleanup EXIT
# CMD runs in the background, so that a TERM (ctest's timeout) or an INT is taken at once; it is
# passed on as a TERM (a background job ignores INT).
cmd_pid=""
stop() {
  if [[ -n $cmd_pid ]]; then kill -TERM "$cmd_pid" 2>/dev/null || true; fi
  exit "$1"
}
trap 'stop 130' INT
trap 'stop 143' TERM

# The server user works in $dir: it may not be allowed into the caller's directory.
server() { (cd "$dir" && "${as_server[@]}" "$@"); }

password=$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 24)
# Host connections need the password; the admin connects through the socket in $dir.
server "$bindir/initdb" -D "$dir/data" -U postgres -E UTF8 --locale=C --auth-local=trust \
  --auth-host=scram-sha-256 >"$dir/initdb.log" 2>&1 || {
  cat "$dir/initdb.log" >&2
  echo "run_with_postgres.sh: initdb failed" >&2
  exit 1
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])' 2>/dev/null || echo $((20000 + RANDOM % 40000))
}

# A port found free may be taken before the server binds it: then another one.
started=0
for _ in 1 2 3 4 5; do
  port=$(free_port)
  if server "$bindir/pg_ctl" start -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-h 127.0.0.1 -p $port -k $dir -c fsync=off" >/dev/null 2>&1; then
    started=1
    break
  fi
done
if ((!started)); then
  cat "$dir/server.log" >&2 || true
  echo "run_with_postgres.sh: the PostgreSQL server did not start" >&2
  exit 1
fi

server "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -U postgres -d postgres \
  -c "CREATE ROLE tsq LOGIN PASSWORD '$password'" -c "CREATE DATABASE tsq OWNER tsq" >/dev/null

export TSQ_TEST_POSTGRES_URI="postgresql://tsq:$password@127.0.0.1:$port/tsq"
# Not `exec`: the trap stops the server when CMD ends.
"$@" &
cmd_pid=$!
wait "$cmd_pid"
