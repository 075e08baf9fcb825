#!/usr/bin/env python3
"""Turns Stryker mutation-report.json files into docs/quality.md: the score per folder, and the surviving mutants.

Usage: mutation-summary.py COMMIT MINUTES COMMAND REPORT.json [REPORT.json ...]  (several runs over different folders
add up; COMMAND may hold several commands, one per line)."""
import json
import sys
from collections import defaultdict
from datetime import datetime, timezone

commit, minutes, command = sys.argv[1:4]
files = {}
for report_path in sys.argv[4:]:
    with open(report_path, encoding="utf-8") as f:
        for path, file in json.load(f)["files"].items():
            # Every report lists every file; a file outside that run's --mutate has only Ignored mutants.
            if path not in files or any(m["status"] != "Ignored" for m in file["mutants"]):
                files[path] = file

DETECTED = {"Killed", "Timeout"}
UNDETECTED = {"Survived", "NoCoverage"}
rows = defaultdict(lambda: defaultdict(int))
survivors = defaultdict(list)
for path, file in sorted(files.items()):
    parts = path.replace("\\", "/").split("/")
    i = parts.index("TeenMode.Sdk") if "TeenMode.Sdk" in parts else len(parts) - 2
    folder = parts[i + 1] if i + 2 < len(parts) else "(root)"
    name = "/".join(parts[i + 1:])
    for m in file["mutants"]:
        rows[folder][m["status"]] += 1
        if m["status"] in UNDETECTED:
            line = m["location"]["start"]["line"]
            src = file["source"].splitlines()[line - 1].strip() if file.get("source") else ""
            survivors[folder].append((name, line, m["mutatorName"], m["status"], m.get("replacement", ""), src))


def score(counts):
    detected = sum(counts[s] for s in DETECTED)
    valid = detected + sum(counts[s] for s in UNDETECTED)
    return detected, valid, (100.0 * detected / valid if valid else 0.0)


now = datetime.now(timezone.utc).strftime("%Y-%m-%d")
out = []
out.append("# Quality: mutation score of the SDK's tests (测试的变异得分)")
out.append("")
out.append("Stryker.NET changes the SDK's decision code one small edit at a time (a `<` becomes `<=`, a condition is")
out.append("negated, a statement is removed) and runs the tests that cover it. A mutant the tests notice is *killed*; one they")
out.append("do not notice *survived*. The score is killed (and timed out) over all mutants that compiled; a mutant on a line no")
out.append("test reaches counts as not detected.")
out.append("")
out.append(f"Measured {now} at commit `{commit}` in {minutes} min with:")
out.append("")
out.append("```bash")
out.extend(line.strip() for line in command.strip().splitlines())
out.append("```")
out.append("")
out.append("It is not part of the test command (too slow). The HTML report is left in `artifacts/mutation/`.")
out.append("")
out.append("| folder | mutants | killed | timeout | survived | no coverage | score |")
out.append("|---|---:|---:|---:|---:|---:|---:|")
total = defaultdict(int)
for folder in sorted(rows):
    c = rows[folder]
    if score(c)[1] == 0:
        continue
    for k, v in c.items():
        total[k] += v
    _, valid, s = score(c)
    out.append(f"| {folder} | {valid} | {c['Killed']} | {c['Timeout']} | {c['Survived']} | {c['NoCoverage']} | **{s:.1f}%** |")
_, valid, s = score(total)
out.append(f"| **all** | {valid} | {total['Killed']} | {total['Timeout']} | {total['Survived']} | {total['NoCoverage']} | **{s:.1f}%** |")
out.append("")
out.append(f"Not counted: {total['CompileError']} mutants that did not compile and {total['Ignored']} that Stryker filtered out "
           "(logging calls, blocks already covered by another mutant).")
out.append("")
out.append("## Mutants that survived")
out.append("")
out.append("Each is either a missing test (add one) or an equivalent mutant (the edit changes no behaviour a user could see).")
out.append("Known equivalents: `ConfigureAwait(false)` turned to `true` (a *Boolean mutation* on an `await` line; the SDK")
out.append("runs without a synchronization context, so both behave alike), and argument guards whose exception the next line")
out.append("would throw anyway. Audit-detail strings that survive mean no test reads that audit field back.")
out.append("")
for folder in sorted(survivors):
    out.append(f"### {folder}")
    out.append("")
    out.append("| file:line | mutator | status | code |")
    out.append("|---|---|---|---|")
    for name, line, mutator, status, replacement, src in survivors[folder]:
        code = src.replace("|", "\\|")
        if len(code) > 90:
            code = code[:87] + "..."
        out.append(f"| {name}:{line} | {mutator} | {status} | `{code}` |")
    out.append("")
print("\n".join(out))
