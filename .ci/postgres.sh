#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests: the PostgreSQL store's tests need a real server, never a mock.
#
# Sourced (as .ci/test.sh does):   source .ci/postgres.sh; teenmode_pg_start; ...; teenmode_pg_stop
# Run by hand:                     eval "$(bash .ci/postgres.sh start)"; ...; eval "$(bash .ci/postgres.sh stop)"
#
# teenmode_pg_start installs the Debian package when no server binaries exist, runs initdb in a temp folder
# (as the postgres OS user when we are root: PostgreSQL refuses to run as root), starts the server on a free
# loopback port with its unix socket inside that folder, creates the database teenmode_test and exports
# TEENMODE_TEST_POSTGRES (an Npgsql connection string) and TEENMODE_PG_DIR (the folder).
# teenmode_pg_stop stops the server and removes the folder. Quiet on success; on failure the server's log goes
# to stderr. Under CI=true a failure to provision fails the caller; elsewhere it only warns, and the tests'
# own helper (tests/Shared/PostgresTestServer.cs) tries once more and says clearly what is missing.

# Highest installed server version's bin folder, or nothing.
_teenmode_pg_bindir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5,5n | tail -n 1)
  [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && echo "$d"
}

# Runs a command as the server's owner: the postgres OS user when we are root, else ourselves.
_teenmode_pg_as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# A loopback TCP port nobody listens on, below Linux's ephemeral range so outgoing connections do not take it.
_teenmode_pg_free_port() {
  local port i
  for i in $(seq 1 50); do
    port=$((20000 + RANDOM % 12000))
    # A refused connection means the port is free; pg_ctl start is retried if it was taken meanwhile.
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  return 1
}

_teenmode_pg_fail() {
  echo "postgres.sh: $*" >&2
  if [ -n "${_TEENMODE_PG_LOG:-}" ] && [ -f "$_TEENMODE_PG_LOG" ]; then
    echo "---- PostgreSQL provisioning log ($_TEENMODE_PG_LOG) ----" >&2
    cat "$_TEENMODE_PG_LOG" >&2
    echo "----" >&2
  fi
  teenmode_pg_stop
  if [ "${CI:-}" = "true" ]; then
    echo "postgres.sh: CI=true, so failing the run: the PostgreSQL tests need a real server" >&2
    return 1
  fi
  echo "postgres.sh: continuing without TEENMODE_TEST_POSTGRES; the PostgreSQL tests will try to start their own server" >&2
  return 0
}

teenmode_pg_start() {
  local bindir sudo="" dir port password attempt started=""
  if [ -n "${TEENMODE_PG_DIR:-}" ] && [ -d "$TEENMODE_PG_DIR" ]; then
    echo "postgres.sh: a server is already running in $TEENMODE_PG_DIR" >&2
    return 1
  fi

  if ! bindir=$(_teenmode_pg_bindir); then
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "installing postgresql" >&2
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null 2>&1 \
      || { $sudo apt-get update -q >/dev/null && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null; } \
      || { _teenmode_pg_fail "apt-get install postgresql failed"; return; }
    bindir=$(_teenmode_pg_bindir) || { _teenmode_pg_fail "postgresql installed, yet no /usr/lib/postgresql/*/bin/initdb and pg_ctl"; return; }
  fi
  if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
    _teenmode_pg_fail "running as root, but there is no postgres OS user to run the server as"
    return
  fi

  # As root the folder must be reachable by the postgres user, so it lives in /tmp whatever TMPDIR says.
  if [ "$(id -u)" -eq 0 ]; then
    dir=$(mktemp -d /tmp/teenmode-pg-XXXXXXXX) || { _teenmode_pg_fail "mktemp failed"; return; }
  else
    dir=$(mktemp -d "${TMPDIR:-/tmp}/teenmode-pg-XXXXXXXX") || { _teenmode_pg_fail "mktemp failed"; return; }
  fi
  export TEENMODE_PG_DIR="$dir"
  _TEENMODE_PG_LOG="$dir/provision.log"
  mkdir "$dir/sock"
  password=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
  printf '%s\n' "$password" >"$dir/pwfile"
  if [ "$(id -u)" -eq 0 ]; then
    chown -R postgres: "$dir" || { _teenmode_pg_fail "chown of $dir to postgres failed"; return; }
  fi
  chmod 700 "$dir/sock"

  # Password auth over TCP (the connection string carries it); the socket sits in a folder only the owner can enter.
  # No fsync: the cluster is thrown away, and the tests run faster.
  (cd "$dir" && _teenmode_pg_as_owner "$bindir/initdb" -D "$dir/data" -U postgres --pwfile="$dir/pwfile" \
      --auth-host=scram-sha-256 --auth-local=trust -E UTF8 --locale=C --no-sync) >>"$_TEENMODE_PG_LOG" 2>&1 \
    || { _teenmode_pg_fail "initdb failed"; return; }
  rm -f "$dir/pwfile"

  for attempt in 1 2 3 4 5; do
    port=$(_teenmode_pg_free_port) || { _teenmode_pg_fail "no free loopback port found"; return; }
    if (cd "$dir" && _teenmode_pg_as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
        -o "-h 127.0.0.1 -p $port -k '$dir/sock' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200") \
        >>"$_TEENMODE_PG_LOG" 2>&1; then
      started=1
      break
    fi
    cat "$dir/server.log" >>"$_TEENMODE_PG_LOG" 2>/dev/null
    # Another process took the port between the probe and the start: try another one.
    grep -qiE 'could not bind|address already in use' "$dir/server.log" 2>/dev/null || break
    echo "port $port was taken (attempt $attempt), trying another" >>"$_TEENMODE_PG_LOG"
    : >"$dir/server.log"
  done
  [ -n "$started" ] || { _teenmode_pg_fail "pg_ctl start failed"; return; }

  (cd "$dir" && _teenmode_pg_as_owner "$bindir/createdb" -h "$dir/sock" -p "$port" -U postgres teenmode_test) >>"$_TEENMODE_PG_LOG" 2>&1 \
    || { cat "$dir/server.log" >>"$_TEENMODE_PG_LOG" 2>/dev/null; _teenmode_pg_fail "createdb teenmode_test failed"; return; }

  export TEENMODE_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Password=$password;Database=teenmode_test"
}

teenmode_pg_stop() {
  local dir="${TEENMODE_PG_DIR:-}" bindir
  [ -n "$dir" ] || return 0
  if [ -f "$dir/data/postmaster.pid" ] && bindir=$(_teenmode_pg_bindir); then
    (cd "$dir" && _teenmode_pg_as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop) >/dev/null 2>&1 \
      || (cd "$dir" && _teenmode_pg_as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop) >/dev/null 2>&1 \
      || echo "postgres.sh: could not stop the server in $dir" >&2
  fi
  rm -rf "$dir"
  unset TEENMODE_PG_DIR TEENMODE_TEST_POSTGRES _TEENMODE_PG_LOG
}

# Run by hand rather than sourced: "start" prints the exports to eval; "stop" stops the server they name and prints the unsets.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -uo pipefail
  case "${1:-}" in
    start)
      teenmode_pg_start || exit 1
      [ -n "${TEENMODE_PG_DIR:-}" ] || exit 1
      # The server outlives this script; "stop" (with these exports) stops it and removes its folder.
      printf 'export TEENMODE_PG_DIR=%q TEENMODE_TEST_POSTGRES=%q\n' "$TEENMODE_PG_DIR" "$TEENMODE_TEST_POSTGRES"
      ;;
    stop)
      teenmode_pg_stop
      echo "unset TEENMODE_PG_DIR TEENMODE_TEST_POSTGRES"
      ;;
    *)
      echo "usage: eval \"\$(bash $0 start)\"; ...; eval \"\$(bash $0 stop)\"" >&2
      exit 2
      ;;
  esac
fi
