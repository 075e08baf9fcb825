#!/usr/bin/env bash
# Packs every packable project into a temp local feed and uses the packages as a stranger would:
#   (a) installs the `teenmode` tool into an empty folder and runs `teenmode demo`;
#   (b) creates a fresh ASP.NET Core app (`dotnet new web`), references TeenMode.Sdk, .Sqlite and .AspNetCore
#       from the feed, makes README.md's "Five-minute integration" code its Program.cs, builds it, runs it on a
#       free loopback port and calls POST /teenmode/v1/subjects then GET /teenmode/v1/subjects/{id};
#   (c) installs TeenMode.Templates under a temp DOTNET_CLI_HOME, creates a `teenmode-app` project, builds it, runs
#       it and calls /healthz and the same two endpoints.
# Usage: bash .ci/pack-smoke.sh [--no-build]   (--no-build: reuse the Release build, as .ci/test.sh does)
# Prints one line per step and the total time; exits non-zero with "pack-smoke: FAILED ..." on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

for tool in dotnet curl unzip; do
  command -v "$tool" >/dev/null || { echo "pack-smoke: FAILED: $tool is not installed" >&2; exit 1; }
done

no_build=0
[ "${1:-}" = "--no-build" ] && no_build=1

projects=(
  sdk/TeenMode.Sdk/TeenMode.Sdk.csproj
  sdk/TeenMode.Sdk.Sqlite/TeenMode.Sdk.Sqlite.csproj
  sdk/TeenMode.Sdk.Postgres/TeenMode.Sdk.Postgres.csproj
  sdk/TeenMode.Sdk.AspNetCore/TeenMode.Sdk.AspNetCore.csproj
  sdk/TeenMode.Sdk.Testing/TeenMode.Sdk.Testing.csproj
  harness/TeenMode.Harness.Cli/TeenMode.Harness.Cli.csproj
  templates/TeenMode.Templates/TeenMode.Templates.csproj
)
package_ids=(teenmode.sdk teenmode.sdk.sqlite teenmode.sdk.postgres teenmode.sdk.aspnetcore teenmode.sdk.testing teenmode teenmode.templates)

# A unique prerelease version per run: the global NuGet cache (~/.nuget/packages) keeps any id+version it once
# restored and would hand an earlier run's copy back for the same version. A fresh version always comes from the
# feed, while the third-party dependencies still come from the warm cache (a temp NUGET_PACKAGES would download
# them all again). The run removes its own version from the cache afterwards.
version="0.1.0-smoke.$(date -u +%Y%m%d%H%M%S).$$"

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

work=$(mktemp -d "${TMPDIR:-/tmp}/teenmode-pack-smoke.XXXXXX")
feed="$work/feed"
app_pid=""
global_packages=$(dotnet nuget locals global-packages --list | sed -E 's/^global-packages: *//')

cleanup() {
  if [ -n "$app_pid" ] && kill -0 "$app_pid" 2>/dev/null; then
    kill "$app_pid" 2>/dev/null || true
    wait "$app_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
  # Only this run's version: other versions in the cache are someone else's.
  if [ -n "$global_packages" ]; then
    for id in "${package_ids[@]}"; do
      rm -rf "${global_packages%/}/$id/$version"
      rmdir "${global_packages%/}/$id" 2>/dev/null || true
    done
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

started=$SECONDS
step_started=$SECONDS
current=""

step() {
  current=$1
  step_started=$SECONDS
}

ok() {
  echo "pack-smoke: ok   $current ($((SECONDS - step_started)) s)${1:+ — $1}"
}

# Prints the failing step, a reason and the tail of a log file, then exits non-zero.
fail() {
  echo "pack-smoke: FAILED at \"$current\": $1" >&2
  if [ -n "${2:-}" ] && [ -f "$2" ]; then
    echo "---- last lines of $(basename "$2") ----" >&2
    tail -n 40 "$2" >&2
  fi
  exit 1
}

# "N warning(s)" from a build log: a user's new project leaves warnings as warnings, so they are shown, not failed on.
warnings() {
  grep -oE '[0-9]+ Warning\(s\)' "$1" | tail -n 1 | tr 'W' 'w' || true
}

# Runs a built web app on a free loopback port, registers a minor through POST /teenmode/v1/subjects and reads
# it back with GET; with a third argument, also expects 200 from that health path. Stops the app afterwards.
serve_and_call() {
  local dir=$1 dll=$2 health=${3:-} log="$work/$(basename "$1").log" url="" status subject birth
  (cd "$dir" && ASPNETCORE_URLS="http://127.0.0.1:0" ASPNETCORE_ENVIRONMENT=Production exec dotnet "$dll") >"$log" 2>&1 &
  app_pid=$!
  # Port 0: Kestrel takes a free port and logs it, so no port is guessed.
  for _ in $(seq 1 120); do
    url=$(grep -oE 'Now listening on: http://127\.0\.0\.1:[0-9]+' "$log" | head -n 1 | sed 's/^Now listening on: //' || true)
    [ -n "$url" ] && break
    kill -0 "$app_pid" 2>/dev/null || fail "the web app exited before listening" "$log"
    sleep 0.5
  done
  [ -n "$url" ] || fail "the web app did not listen within 60 s" "$log"
  if [ -n "$health" ]; then
    status=$(curl -sS -m 10 -o /dev/null -w '%{http_code}' "$url$health") || fail "GET $url$health did not answer" "$log"
    [ "$status" = 200 ] || fail "GET $health answered $status, expected 200" "$log"
  fi
  # 13 years and 100 days old: in the 12-16 band whatever the day and time zone.
  birth=$(date -u -d '-13 years -100 days' +%F)
  subject="smoke-kid-$$"
  status=$(curl -sS -m 10 -o "$work/post.json" -w '%{http_code}' -H 'Content-Type: application/json' \
    -d "{\"id\":\"$subject\",\"birthDate\":\"$birth\",\"teenMode\":true}" "$url/teenmode/v1/subjects") \
    || fail "POST $url/teenmode/v1/subjects did not answer" "$log"
  [ "$status" = 201 ] || fail "POST /teenmode/v1/subjects answered $status, expected 201: $(cat "$work/post.json")" "$log"
  status=$(curl -sS -m 10 -o "$work/get.json" -w '%{http_code}' "$url/teenmode/v1/subjects/$subject") \
    || fail "GET $url/teenmode/v1/subjects/$subject did not answer" "$log"
  [ "$status" = 200 ] || fail "GET /teenmode/v1/subjects/$subject answered $status, expected 200" "$log"
  grep -qE '"band" *: *"12-16"' "$work/get.json" || fail "GET /teenmode/v1/subjects/$subject has no \"band\":\"12-16\": $(cat "$work/get.json")"
  grep -qE '"teenMode" *: *true' "$work/get.json" || fail "GET /teenmode/v1/subjects/$subject has no \"teenMode\":true: $(cat "$work/get.json")"
  kill "$app_pid"
  wait "$app_pid" 2>/dev/null || true
  app_pid=""
  served="${health:+GET $health 200, }POST 201, GET 200 band 12-16 on $url"
}

echo "pack-smoke: version $version, work folder $work"

if [ "$no_build" -eq 0 ]; then
  step "build (Release)"
  # The tool's project references reach every other packable project, so one build covers them all.
  dotnet build harness/TeenMode.Harness.Cli/TeenMode.Harness.Cli.csproj -c Release -nologo >"$work/build.log" 2>&1 \
    || fail "dotnet build failed" "$work/build.log"
  ok
fi

step "pack ${#projects[@]} packages into a local feed"
for project in "${projects[@]}"; do
  log="$work/pack-$(basename "$project" .csproj).log"
  # The template package compiles nothing and is in no solution, so it is always packed with its (empty) build.
  pack_build=(--no-build)
  [[ "$project" == templates/* ]] && pack_build=()
  dotnet pack "$project" -c Release "${pack_build[@]}" -nologo -p:Version="$version" -o "$feed" >"$log" 2>&1 \
    || fail "dotnet pack $project failed (run without --no-build if nothing was built)" "$log"
  # Pack warnings (NU5xxx) do not stop pack by themselves; the project treats warnings as errors.
  if grep -qE ': warning ' "$log"; then fail "dotnet pack $project printed warnings" "$log"; fi
done
for id in TeenMode.Sdk TeenMode.Sdk.Sqlite TeenMode.Sdk.Postgres TeenMode.Sdk.AspNetCore TeenMode.Sdk.Testing teenmode TeenMode.Templates; do
  nupkg="$feed/$id.$version.nupkg"
  [ -f "$nupkg" ] || fail "missing $id.$version.nupkg"
  # Every package ships its README, the licence text and (libraries) the XML docs.
  listing=$(unzip -l "$nupkg")
  grep -qE ' README\.md$' <<<"$listing" || fail "$id has no README.md"
  grep -qE ' LICENSE$' <<<"$listing" || fail "$id has no LICENSE"
  if [ "$id" != teenmode ] && [ "$id" != TeenMode.Templates ]; then
    grep -qE " lib/net10\.0/$id\.xml$" <<<"$listing" || fail "$id has no XML documentation file"
  fi
done
ok "$(ls "$feed" | tr '\n' ' ')"

# (a) The tool, installed from the feed into a brand-new empty folder.
step "install the teenmode tool and run teenmode demo"
demo="$work/tool-user"
mkdir -p "$demo"
(cd "$demo" && dotnet tool install teenmode --tool-path "$work/tools" --add-source "$feed" --version "$version") \
  >"$work/tool-install.log" 2>&1 || fail "dotnet tool install teenmode failed" "$work/tool-install.log"
set +e
(cd "$demo" && "$work/tools/teenmode" demo --out "$demo/report") >"$work/demo.log" 2>&1
code=$?
set -e
[ "$code" -eq 0 ] || fail "teenmode demo exited $code" "$work/demo.log"
[ -s "$demo/report/report.json" ] || fail "teenmode demo wrote no report.json" "$work/demo.log"
ok "report.json written"

# (b) A fresh ASP.NET Core app outside the repo, on the three packages, with README.md's five-minute code.
step "create a web app from README.md's five-minute integration"
app="$work/SmokeApp"
dotnet new web -n SmokeApp -o "$app" --no-restore >"$work/new-web.log" 2>&1 || fail "dotnet new web failed" "$work/new-web.log"
# The local feed plus whatever sources the machine's own NuGet config names (no <clear/>).
cat >"$app/nuget.config" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="teenmode-smoke" value="$feed" />
  </packageSources>
</configuration>
EOF
for id in TeenMode.Sdk TeenMode.Sdk.Sqlite TeenMode.Sdk.AspNetCore; do
  (cd "$app" && dotnet add package "$id" --version "$version" --no-restore) >>"$work/add-package.log" 2>&1 \
    || fail "dotnet add package $id failed" "$work/add-package.log"
done
# The first csharp block of the section, its list indentation removed: README and test cannot drift apart.
awk '
  /^## Five-minute integration/ { in_section = 1; next }
  in_section && /^## / { exit }
  in_section && !in_code && /^ *```csharp *$/ { in_code = 1; indent = index($0, "`") - 1; next }
  in_code && /^ *``` *$/ { exit }
  in_code { print substr($0, indent + 1) }
' "$repo/README.md" >"$app/Program.cs"
grep -q 'MapTeenMode' "$app/Program.cs" \
  || fail "README.md's \"## Five-minute integration\" section has no csharp block calling MapTeenMode"
# Warnings stay warnings here, as in a user's new project.
(cd "$app" && dotnet build -c Release -nologo) >"$work/app-build.log" 2>&1 || fail "the web app did not build" "$work/app-build.log"
ok "$(wc -l <"$app/Program.cs") lines of Program.cs from README.md, $(warnings "$work/app-build.log")"

step "run the web app and call /teenmode/v1"
serve_and_call "$app" bin/Release/net10.0/SmokeApp.dll
ok "$served"

# (c) The dotnet new template, installed under a temp DOTNET_CLI_HOME so the user's template list stays as it was.
step "install TeenMode.Templates, dotnet new teenmode-app, build"
templated="$work/TemplateApp"
(export DOTNET_CLI_HOME="$work/dotnet-home"
 dotnet new install "$feed/TeenMode.Templates.$version.nupkg" && dotnet new teenmode-app -n TemplateApp -o "$templated") \
  >"$work/template.log" 2>&1 || fail "installing or running the teenmode-app template failed" "$work/template.log"
cp "$app/nuget.config" "$templated/nuget.config"
(cd "$templated" && dotnet build -c Release -nologo) >"$work/template-build.log" 2>&1 \
  || fail "the teenmode-app project did not build" "$work/template-build.log"
ok "$(warnings "$work/template-build.log")"

step "run the teenmode-app project and call /healthz and /teenmode/v1"
serve_and_call "$templated" bin/Release/net10.0/TemplateApp.dll /healthz
ok "$served"

echo "pack-smoke: all steps passed in $((SECONDS - started)) s"
