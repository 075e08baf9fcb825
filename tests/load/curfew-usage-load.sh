#!/usr/bin/env bash
# Usage checks refused by the curfew on one sample-app instance (every request is a denial counted for the guardian
# report), measured with wrk on loopback. The conformance clock puts the app at 22:30 Beijing time.
# Usage: tests/load/curfew-usage-load.sh ; env: DURATION (s, default 15), CONNECTIONS (default 32), SUBJECTS (default 1000),
# APP (the sample's dll; default samples/ShortVideoApp/bin/Release/net10.0/ShortVideoApp.dll)
# Build first: dotnet build TeenMode.sln -c Release
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=${DURATION:-15}
connections=${CONNECTIONS:-32}
export SUBJECTS=${SUBJECTS:-1000}
app_dll=${APP:-samples/ShortVideoApp/bin/Release/net10.0/ShortVideoApp.dll}
command -v wrk >/dev/null || apt-get install -y -q wrk >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
work=$(mktemp -d)
key=curfew-usage-load-test-conformance-key
TEENMODE_CONFORMANCE_KEY=$key ASPNETCORE_ENVIRONMENT=Testing dotnet "$app_dll" --urls "http://127.0.0.1:$port" --db "$work/app.db" >"$work/app.log" 2>&1 &
app=$!
trap 'kill $app 2>/dev/null; wait $app 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.2; done
curl -sf -o /dev/null -X PUT -H 'Content-Type: application/json' -H "X-TeenMode-Conformance-Key: $key" \
  -d '{"local":"2026-03-04T22:30:00"}' "http://127.0.0.1:$port/teenmode/conformance/v1/clock"
for i in $(seq 0 $((SUBJECTS - 1))); do
  printf '{"id":"load-%d","birthDate":"2013-05-01"}\n' "$i"
done | xargs -d '\n' -P 8 -I{} curl -s -o /dev/null -X POST -H 'Content-Type: application/json' -d '{}' "http://127.0.0.1:$port/teenmode/v1/subjects"
curl -s "http://127.0.0.1:$port/teenmode/v1/subjects/load-0/usage" | grep -q '"curfew"' || { echo "load-0 is not refused for the curfew" >&2; exit 1; }
echo "subjects=$SUBJECTS connections=$connections duration=${duration}s cores=$(nproc)"
wrk -t 2 -c "$connections" -d "${duration}s" -s tests/load/curfew-usage.lua "http://127.0.0.1:$port" | grep -E "refusals:|Requests/sec"
