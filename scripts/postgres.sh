#!/usr/bin/env bash
# Throwaway PostgreSQL + PostGIS server for cocoon's database tests.
#
#   url=$(scripts/postgres.sh start DIR)   # fresh cluster in DIR, prints the SQLAlchemy URL
#   scripts/postgres.sh stop DIR           # stops it (quietly succeeds if not running)
#
# Installs the Debian packages postgresql-N and postgresql-N-postgis-3 if missing
# (N = highest server version present, else 15). The server listens on 127.0.0.1
# only (trust auth, loopback/unix socket only), its socket and server.log live in
# DIR, the data directory in DIR/data. Only the URL goes to stdout; chatter to stderr.
set -euo pipefail

die() { echo "postgres.sh: $*" >&2; exit 1; }
say() { echo "postgres.sh: $*" >&2; }

# Run a command as the unprivileged server user (initdb/postgres refuse to run as root).
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

pg_major() {  # highest installed server major version, empty if none
  ls -d /usr/lib/postgresql/*/bin/pg_ctl 2>/dev/null | sed -E 's#^/usr/lib/postgresql/([0-9]+)/.*#\1#' | sort -n | tail -n1
}

ensure_packages() {
  local ver pkgs=()
  ver=$(pg_major); ver=${ver:-15}
  [ -x "/usr/lib/postgresql/$ver/bin/pg_ctl" ] || pkgs+=("postgresql-$ver")
  [ -f "/usr/share/postgresql/$ver/extension/postgis.control" ] || pkgs+=("postgresql-$ver-postgis-3")
  [ ${#pkgs[@]} -eq 0 ] && return 0
  [ "$(id -u)" = 0 ] || die "missing ${pkgs[*]} and not root; install them first"
  say "installing ${pkgs[*]} ..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 || die "apt-get update failed"
  apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >&2 || die "apt-get install ${pkgs[*]} failed"
}

free_port() {  # first port >= 54329 that can be bound on 127.0.0.1
  python3 - <<'EOF'
import socket
for port in range(54329, 54529):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            continue
        print(port)
        break
EOF
}

pg_running() { [ -f "$dir/data/PG_VERSION" ] && as_pg "$bin/pg_ctl" status -D "$dir/data" >/dev/null 2>&1; }

stop() {
  if pg_running; then
    as_pg "$bin/pg_ctl" stop -D "$dir/data" -m fast -w >/dev/null || die "pg_ctl stop failed for $dir"
  fi
}

start() {
  ensure_packages
  bin=/usr/lib/postgresql/$(pg_major)/bin
  id postgres >/dev/null 2>&1 || die "OS user 'postgres' does not exist"
  # Keep DIR safe to embed in postgresql.conf and short enough for a unix socket path.
  [[ "$dir" =~ ^/[A-Za-z0-9._/-]+$ ]] || die "DIR must be a plain path ([A-Za-z0-9._/-]): $dir"
  [ ${#dir} -le 80 ] || die "DIR too long for a unix socket path (max 80 chars): $dir"

  stop
  mkdir -p "$dir" || die "cannot create $dir"
  rm -rf "$dir/data" "$dir/server.log" "$dir/initdb.log"
  [ "$(id -u)" = 0 ] && chown postgres: "$dir"
  as_pg test -w "$dir" -a -x "$dir" ||
    die "user postgres cannot reach $dir (a parent directory is not traversable); use e.g. a dir under /tmp"

  local port
  port=$(free_port); [ -n "$port" ] || die "no free port in 54329-54528 on 127.0.0.1"
  say "initdb in $dir/data ..."
  as_pg "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --no-locale >/dev/null 2>"$dir/initdb.log" ||
    die "initdb failed: $(tail -n 3 "$dir/initdb.log" | tr '\n' ' ')"
  cat >>"$dir/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
  say "starting on 127.0.0.1:$port ..."
  as_pg "$bin/pg_ctl" start -D "$dir/data" -l "$dir/server.log" -w -t 60 >/dev/null ||
    { stop; die "server failed to start; last lines of $dir/server.log: $(tail -n 5 "$dir/server.log" 2>/dev/null | tr '\n' ' ')"; }

  local psql=("$bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres)
  "${psql[@]}" -d postgres -c 'CREATE DATABASE cocoon_test' >&2 &&
    "${psql[@]}" -d cocoon_test -c 'CREATE EXTENSION postgis' >&2 ||
    { stop; die "could not create database cocoon_test with postgis"; }
  echo "postgresql+psycopg://postgres@127.0.0.1:$port/cocoon_test"
}

[ $# -eq 2 ] || die "usage: $0 start|stop DIR"
dir=$(realpath -m -- "$2")
cd /   # the postgres user may not be able to read the caller's cwd
case "$1" in
  start) start ;;
  stop)
    [ -f "$dir/data/PG_VERSION" ] || exit 0
    bin=/usr/lib/postgresql/$(cat "$dir/data/PG_VERSION")/bin
    stop ;;
  *) die "usage: $0 start|stop DIR" ;;
esac
