#!/usr/bin/env bash
# Runs every test on a fresh machine: restore, build (warnings are errors), test.
# Prints one closing line "tests: N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/.."

log=$(mktemp)
reports=""
# A throwaway PostgreSQL server for the PostgreSQL store's tests (.ci/postgres.sh); stopped and removed on exit.
source .ci/postgres.sh
trap 'rm -f "$log"; [ -z "$reports" ] || rm -rf "$reports"; teenmode_pg_stop' EXIT
# A run stopped by a signal still stops the server and removes its temp folders.
trap 'exit 130' INT
trap 'exit 143' TERM

# Debian packages some tests need on a fresh machine: Chromium renders report.html as an auditor sees it
# (with a CJK font for the zh-CN text), xmllint validates junit.xml, node runs the Cedar and Casbin peers.
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
dpkg -s fonts-wqy-zenhei >/dev/null 2>&1 || need+=(fonts-wqy-zenhei)
command -v xmllint >/dev/null || need+=(libxml2-utils)
{ command -v node && command -v npm; } >/dev/null || need+=(nodejs npm)
# The pack smoke test (.ci/pack-smoke.sh) calls its fresh apps with curl and lists package contents with unzip.
command -v curl >/dev/null || need+=(curl)
command -v unzip >/dev/null || need+=(unzip)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing ${need[*]}"
  $sudo apt-get install -y -q "${need[@]}" >/dev/null || { $sudo apt-get update -q >/dev/null && $sudo apt-get install -y -q "${need[@]}" >/dev/null; }
fi

dotnet restore TeenMode.sln
dotnet build TeenMode.sln --no-restore -c Release
# Exports TEENMODE_TEST_POSTGRES; under CI=true a server that cannot be provisioned fails the run here.
teenmode_pg_start
set +e
dotnet test TeenMode.sln --no-build -c Release 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# Sum the per-assembly summaries: "Passed!  - Failed: 0, Passed: 42, Skipped: 0, Total: 42, ..."
read -r passed failed skipped < <(grep -E '^(Passed|Failed)!' "$log" | sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\2 \1 \3/' \
  | awk '{p+=$1; f+=$2; s+=$3} END {print p+0, f+0, s+0}')
assemblies=$(grep -cE '^(Passed|Failed)!' "$log" || true)
# The harness's own outputs, as a user gets them: a conformant demo, every self-test variant (failures
# included) and an unreachable target (errors), validated against the official JUnit and CTRF schemas.
reports=$(mktemp -d)
cli=(dotnet run --project harness/TeenMode.Harness.Cli -c Release --no-build --)
"${cli[@]}" demo --out "$reports/demo" >/dev/null || status=1
"${cli[@]}" selftest --out "$reports/selftest" >/dev/null || status=1
set +e
"${cli[@]}" run --target http://127.0.0.1:9/ --conformance-key 0123456789abcdef0123456789abcdef --timeout 2 --out "$reports/down" >/dev/null
[ $? -eq 3 ] || { echo "run against a down target did not exit 3" >&2; status=1; }
set -e
bash .ci/validate-reports.sh "$reports" || status=1
# Cedar and Casbin, fed the rule pack's numbers, must decide the fixed-seed usage mix exactly as
# UsageSnapshot.Decide does (tests/peers; the timed comparison is the same command without --check).
if npm ci --prefix tests/peers --no-audit --no-fund --loglevel=error >/dev/null; then
  dotnet run --project tests/TeenMode.Benchmarks -c Release --no-build -- peers --check \
    || { echo "peer agreement check failed (exit $?): Cedar, Casbin and UsageSnapshot.Decide must decide alike" >&2; status=1; }
else
  echo "npm ci --prefix tests/peers failed: the peer agreement check did not run" >&2
  status=1
fi

# The packages as a user gets them: pack into a temp feed, install the tool and run its demo, and build and
# call a fresh web app made of README.md's five-minute code (.ci/pack-smoke.sh; it reuses the build above).
bash .ci/pack-smoke.sh --no-build || { echo "pack smoke test failed: the packages do not install or run as README.md says" >&2; status=1; }

echo "tests: ${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ] || [ "$assemblies" -lt 3 ]; then
  echo "test run failed (exit $status, $assemblies test assemblies reported)" >&2
  exit 1
fi
