#!/usr/bin/env bash
# Mutation score of the SDK's own tests over its decision code, with Stryker.NET (the dotnet-stryker tool in
# .config/dotnet-tools.json). Not part of the test command: it rebuilds and reruns the covering tests for every
# mutant, about an hour on 2 cores. Writes the score per folder to docs/quality.md.
#
#   bash .ci/mutation.sh                      # AntiAddiction, Spending, ParentalControl, ContentPool policy
#   bash .ci/mutation.sh Spending             # one folder (docs/quality.md lists only what ran)
#   STRYKER_ARGS="--concurrency 2" bash .ci/mutation.sh
set -euo pipefail
cd "$(dirname "$0")/.."

# The decision code: the rules that allow or deny. Storage/ subfolders (the in-memory stores) are left out: the
# store contract suite covers them against three stores, and a mutant there says little about the rules.
folders=("$@")
[ ${#folders[@]} -gt 0 ] || folders=(AntiAddiction Spending ParentalControl ContentPool)
mutate=()
for f in "${folders[@]}"; do
  case "$f" in
    ContentPool) mutate+=(--mutate "**/ContentPool/ContentPolicy.cs") ;;  # the policy, not the catalog plumbing
    *) mutate+=(--mutate "**/$f/*.cs") ;;
  esac
done

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
started=$(date -u +%s)
dotnet tool restore >/dev/null
# Stryker builds Debug on its own; TEENMODE_ARTIFACTS would move bin/ where it does not look.
(cd tests/TeenMode.Sdk.Tests && env -u TEENMODE_ARTIFACTS dotnet stryker --project TeenMode.Sdk.csproj "${mutate[@]}" \
  --reporter json --reporter html --reporter progress --output "$out" ${STRYKER_ARGS:-})
report="$out/reports/mutation-report.json"
[ -f "$report" ] || { echo "Stryker wrote no report at $report" >&2; exit 1; }
mkdir -p artifacts/mutation
cp "$out/reports/mutation-report.html" artifacts/mutation/ 2>/dev/null || true
cp "$report" artifacts/mutation/

minutes=$(( ($(date -u +%s) - started + 59) / 60 ))
python3 .ci/mutation-summary.py "$(git rev-parse --short HEAD)" "$minutes" "bash .ci/mutation.sh ${*}" "$report" > docs/quality.md
echo "docs/quality.md written; full report: artifacts/mutation/mutation-report.html"
