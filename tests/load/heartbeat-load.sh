#!/usr/bin/env bash
# Heartbeat ingestion on one sample-app instance, measured with wrk (Debian package) on loopback.
# Usage: tests/load/heartbeat-load.sh [sqlite|postgres CONNECTION] ; env: DURATION (s, default 15), CONNECTIONS (default 32), SUBJECTS (default 1000)
# Build first: dotnet build TeenMode.sln -c Release
set -euo pipefail
cd "$(dirname "$0")/../.."
store=${1:-sqlite}
connection=${2:-}
duration=${DURATION:-15}
connections=${CONNECTIONS:-32}
export SUBJECTS=${SUBJECTS:-1000}
command -v wrk >/dev/null || apt-get install -y -q wrk >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
work=$(mktemp -d)
args=(--urls "http://127.0.0.1:$port" --db "$work/app.db")
if [ "$store" = postgres ]; then args+=(--store postgres --connection "$connection"); export TEENMODE_PI_KEY=${TEENMODE_PI_KEY:-$(head -c 32 /dev/urandom | base64)}; fi
dotnet samples/ShortVideoApp/bin/Release/net10.0/ShortVideoApp.dll "${args[@]}" >"$work/app.log" 2>&1 &
app=$!
trap 'kill $app 2>/dev/null; wait $app 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do curl -sf -o /dev/null "http://127.0.0.1:$port/teenmode/v1/subjects/none" -w '' 2>/dev/null && break; curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.2; done
for i in $(seq 0 $((SUBJECTS - 1))); do
  printf '{"id":"load-%d","birthDate":"2013-05-01"}\n' "$i"
done | xargs -d '\n' -P 8 -I{} curl -s -o /dev/null -X POST -H 'Content-Type: application/json' -d '{}' "http://127.0.0.1:$port/teenmode/v1/subjects"
echo "store=$store subjects=$SUBJECTS connections=$connections duration=${duration}s cores=$(nproc)"
wrk -t 2 -c "$connections" -d "${duration}s" -s tests/load/heartbeats.lua "http://127.0.0.1:$port" | grep -E "heartbeats:|Requests/sec"
