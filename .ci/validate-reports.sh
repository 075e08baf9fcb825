#!/usr/bin/env bash
# Validates the harness's JUnit and CTRF outputs against the official schemas, when they are present
# (../shared/schemas next to the repository, or $TEENMODE_SCHEMAS). The schemas are third-party files and
# are never copied into the project. Usage: validate-reports.sh REPORT_DIR...
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
schemas="${TEENMODE_SCHEMAS:-$root/../shared/schemas}"
if [ ! -f "$schemas/JUnit.xsd" ] || [ ! -f "$schemas/ctrf.schema.json" ]; then
  echo "report schemas not found at $schemas: skipping JUnit/CTRF schema validation"
  exit 0
fi

apt_install() {
  if command -v apt-get >/dev/null; then
    apt-get install -y -q "$@" >/dev/null 2>&1 || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q "$@" >/dev/null; }
  fi
}

command -v xmllint >/dev/null || apt_install libxml2-utils
python=python3
if ! python3 -c 'import jsonschema' 2>/dev/null; then
  apt_install python3-jsonschema
  python=/usr/bin/python3
fi

junit=0 ctrf=0
while IFS= read -r -d '' file; do
  if ! out=$(xmllint --noout --schema "$schemas/JUnit.xsd" "$file" 2>&1); then
    echo "$out" >&2
    exit 1
  fi
  junit=$((junit + 1))
done < <(find "$@" -name junit.xml -print0)

while IFS= read -r -d '' file; do
  "$python" - "$schemas/ctrf.schema.json" "$file" <<'PY'
import json, sys, jsonschema
schema = json.load(open(sys.argv[1], encoding="utf-8"))
doc = json.load(open(sys.argv[2], encoding="utf-8"))
errors = list(jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker()).iter_errors(doc))
for e in errors:
    print(f"{sys.argv[2]}: {'/'.join(map(str, e.absolute_path))}: {e.message}", file=sys.stderr)
sys.exit(1 if errors else 0)
PY
  ctrf=$((ctrf + 1))
done < <(find "$@" -name ctrf.json -print0)

if [ "$junit" -eq 0 ] || [ "$ctrf" -eq 0 ]; then
  echo "no junit.xml or ctrf.json found under $*" >&2
  exit 1
fi
echo "schema validation: $junit junit.xml and $ctrf ctrf.json files valid"
