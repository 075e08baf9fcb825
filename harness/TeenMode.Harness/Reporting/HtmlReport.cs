using System.Globalization;
using System.Net;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using TeenMode.Harness.Drivers;
using TeenMode.Harness.Running;
using TeenMode.Harness.Suites;
using TeenMode.Rules;

namespace TeenMode.Harness.Reporting;

/// <summary>
/// The human report: one self-contained HTML file (inline CSS, no scripts, no external assets) that an
/// auditor can open offline. Every value from the run is HTML-encoded.
/// </summary>
public static class HtmlReport
{
    private const string Css = """
        :root { color-scheme: light; --ok: #1a7f37; --bad: #cf222e; --warn: #9a6700; --muted: #57606a; --line: #d0d7de; }
        * { box-sizing: border-box; }
        body { font-family: system-ui, -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Zen Hei", sans-serif;
               margin: 0 auto; max-width: 1200px; padding: 24px; color: #1f2328; line-height: 1.45; }
        h1 { font-size: 1.6rem; margin: 0 0 4px; }
        h2 { font-size: 1.2rem; margin: 32px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
        .meta { color: var(--muted); font-size: .9rem; }
        .note { border-left: 4px solid var(--warn); padding: .3rem .6rem; background: #fffbea; }
        .meta code { font-size: .85rem; }
        .verdict { margin: 20px 0; padding: 18px 22px; border-radius: 8px; color: #fff; font-size: 1.5rem; font-weight: 700; }
        .verdict small { display: block; font-size: .95rem; font-weight: 400; opacity: .95; }
        .v-conformant { background: var(--ok); } .v-non-conformant { background: var(--bad); } .v-incomplete { background: var(--warn); }
        .counts { display: flex; gap: 12px; flex-wrap: wrap; }
        .count { border: 1px solid var(--line); border-radius: 8px; padding: 10px 16px; min-width: 120px; }
        .count b { display: block; font-size: 1.4rem; }
        table { border-collapse: collapse; width: 100%; font-size: .9rem; }
        th, td { border-bottom: 1px solid var(--line); padding: 6px 8px; text-align: left; vertical-align: top; }
        th { background: #f6f8fa; }
        .badge { display: inline-block; padding: 1px 8px; border-radius: 10px; color: #fff; font-size: .8rem; white-space: nowrap; }
        .b-passed { background: var(--ok); } .b-failed { background: var(--bad); } .b-error { background: var(--warn); } .b-skipped, .b-not-applicable { background: var(--muted); }
        .req { display: inline-block; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .8rem;
               background: #f6f8fa; border: 1px solid var(--line); border-radius: 4px; padding: 0 4px; margin: 1px; }
        details { margin: 4px 0; } summary { cursor: pointer; color: #0969da; }
        pre { background: #f6f8fa; border: 1px solid var(--line); border-radius: 4px; padding: 6px; overflow-x: auto;
              font-size: .78rem; max-height: 320px; white-space: pre-wrap; word-break: break-all; }
        .step { border-left: 3px solid var(--line); padding-left: 8px; margin: 6px 0; }
        .step.e { border-left-color: var(--warn); }
        .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
        footer { margin-top: 40px; color: var(--muted); font-size: .8rem; }
        """;

    /// <summary>Renders the report.</summary>
    public static string Render(RunReport report, RequirementCatalog? catalog = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        catalog ??= RequirementCatalog.Default;
        var h = new StringBuilder(64 * 1024);
        var verdict = report.Verdict;
        h.Append("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(E($"TeenMode 一致性报告 / Conformance report — {report.Suite.Id} — {verdict.Display()}")).Append("</title>\n")
            .Append("<style>").Append(Css).Append("</style>\n</head>\n<body>\n");

        h.Append("<h1>青少年模式一致性报告 / Teen-mode conformance report</h1>\n");
        h.Append("<div class=\"meta\">").Append(E(report.Suite.Title.ToString())).Append("<br>")
            .Append("目标 / Target: <code>").Append(E(report.Target)).Append("</code> · ")
            .Append("开始 / Started: ").Append(E(ReportJson.Timestamp(report.StartedAt))).Append(" · ")
            .Append("结束 / Finished: ").Append(E(ReportJson.Timestamp(report.FinishedAt))).Append("</div>\n");

        var verdictNote = verdict switch
        {
            RunVerdict.Conformant => "全部检查项通过 / every check passed",
            RunVerdict.NonConformant => "至少一项检查未通过 / at least one check failed",
            _ => "有检查项出错或被跳过，结果不完整 / some checks errored or were skipped, so the run is incomplete",
        };
        h.Append("<div class=\"verdict v-").Append(verdict.Wire()).Append("\" id=\"verdict\">")
            .Append("总体结论 / Overall verdict: ").Append(E(verdict.Display().ZhCn)).Append(" / ").Append(E(verdict.Wire().ToUpperInvariant()))
            .Append("<small>").Append(E(verdictNote)).Append("</small></div>\n");

        if (report.Interrupted)
        {
            h.Append("<p class=\"note\" id=\"interrupted\">运行被中断，本报告只含中断前的结果 / The run was interrupted; this report holds only what ran before.</p>\n");
        }

        if (report.RerunOf is { } previous)
        {
            h.Append("<p class=\"note\">重跑自运行 / Re-run of run <span class=\"mono\">").Append(E(previous)).Append("</span>: ")
                .Append(report.CarriedOver.Count.ToString(CultureInfo.InvariantCulture)).Append(" 项结果沿用 / case verdicts carried over.</p>\n");
        }

        if (report.Gate is { } gate)
        {
            var waived = gate.Failures.Count(f => f.Treatment == Gating.GateTreatment.Waived);
            h.Append("<p class=\"note\" id=\"gate\">门禁 / Gate: exit ").Append(gate.ExitCode.ToString(CultureInfo.InvariantCulture))
                .Append(" · --fail-on ").Append(E(gate.FailOn)).Append(" · 豁免 / waived ").Append(waived.ToString(CultureInfo.InvariantCulture));
            foreach (var w in gate.StaleWaivers)
            {
                h.Append(" · 过时豁免 / stale waiver: ").Append(E(w.CheckId));
            }

            foreach (var w in gate.ExpiredWaivers)
            {
                h.Append(" · 已过期豁免 / expired waiver: ").Append(E(w.CheckId));
            }

            h.Append("</p>\n");
        }

        Scope(h, report);

        h.Append("<h2>统计 / Counts</h2>\n<div class=\"counts\">");
        h.Append("<div class=\"count\"><b>").Append(report.Cases.Count.ToString(CultureInfo.InvariantCulture)).Append("</b>合计 / total</div>");
        foreach (var (v, count) in report.Summary)
        {
            h.Append("<div class=\"count\"><b>").Append(count.ToString(CultureInfo.InvariantCulture)).Append("</b>")
                .Append(E(v.Display().ToString())).Append("</div>");
        }

        h.Append("</div>\n");
        Scorecard(h, report);
        Checks(h, report);
        Traceability(h, report, catalog);

        h.Append("<footer>TeenMode harness ").Append(E(HarnessInfo.Version))
            .Append(" · run <span class=\"mono\">").Append(E(report.RunId)).Append("</span>")
            .Append(" · 套件 / suite <span class=\"mono\">").Append(E($"{report.Suite.Id} {report.Suite.Version} sha256:{report.Suite.Sha256}")).Append("</span>")
            .Append(" · 应用配置 / profile <span class=\"mono\">").Append(E($"{report.ProfileId} {report.ProfileVersion} sha256:{report.ProfileSha256}")).Append("</span>")
            .Append(" · 能力 / capabilities: ").Append(E(string.Join(", ", report.Capabilities)))
            .Append("<br>凭据已脱敏（***）/ Credentials are redacted (***). 机器可读版本见 report.json / The machine-readable report is report.json.</footer>\n");
        h.Append("</body>\n</html>\n");
        return h.ToString();
    }

    private static void Scorecard(StringBuilder h, RunReport report)
    {
        h.Append("<h2>按功能统计 / Scorecard by function</h2>\n<table id=\"scorecard\">\n<thead><tr><th>功能 / Function</th><th>通过 / Passed</th>")
            .Append("<th>不通过 / Failed</th><th>错误 / Error</th><th>跳过 / Skipped</th><th>不适用 / N/A</th></tr></thead>\n<tbody>\n");
        foreach (var group in report.Cases.GroupBy(c => c.Check.Function).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var total = group.Count();
            var passed = group.Count(c => c.Verdict == CaseVerdict.Passed);
            h.Append("<tr><td>").Append(E(CheckFunctions.NameOf(group.Key).ToString())).Append("</td><td>")
                .Append(passed.ToString(CultureInfo.InvariantCulture)).Append(" / ").Append(total.ToString(CultureInfo.InvariantCulture)).Append("</td>");
            foreach (var v in new[] { CaseVerdict.Failed, CaseVerdict.Error, CaseVerdict.Skipped, CaseVerdict.NotApplicable })
            {
                h.Append("<td>").Append(group.Count(c => c.Verdict == v).ToString(CultureInfo.InvariantCulture)).Append("</td>");
            }

            h.Append("</tr>\n");
        }

        h.Append("</tbody>\n</table>\n");
    }

    private static void Checks(StringBuilder h, RunReport report)
    {
        h.Append("<h2>检查项 / Checks</h2>\n<table id=\"checks\">\n<thead><tr><th>结论 / Verdict</th><th>检查项 / Check</th>")
            .Append("<th>功能 / Function</th><th>严重性 / Severity</th><th>要求 / Requirements</th><th>说明与证据 / Message and evidence</th></tr></thead>\n<tbody>\n");
        foreach (var c in report.Cases.OrderBy(c => Rank(c.Verdict)))
        {
            h.Append("<tr id=\"").Append(E(AnchorId(c.Id))).Append("\"><td><span class=\"badge b-").Append(c.Verdict.Wire()).Append("\">")
                .Append(E(c.Verdict.Display().ToString())).Append("</span></td>");
            h.Append("<td><span class=\"mono\">").Append(E(c.Id)).Append("</span><br>").Append(E(c.Check.Title.ZhCn))
                .Append("<br>").Append(E(c.Check.Title.En)).Append("</td>");
            h.Append("<td>").Append(E(CheckFunctions.NameOf(c.Check.Function).ToString())).Append("</td>");
            h.Append("<td>").Append(E(Severity(c.Check.Severity))).Append("</td><td>");
            foreach (var id in c.Check.RequirementIds)
            {
                h.Append("<span class=\"req\">").Append(E(id)).Append("</span> ");
            }

            h.Append("</td><td>").Append(E(c.Message)).Append(' ')
                .Append(E(string.Create(CultureInfo.InvariantCulture, $"({c.DurationMs} ms)")));
            if (c.Steps.Count > 0)
            {
                h.Append("<details><summary>证据 / Evidence: ").Append(c.Steps.Count.ToString(CultureInfo.InvariantCulture))
                    .Append(" 个请求 / requests</summary>\n");
                foreach (var s in c.Steps)
                {
                    Step(h, s);
                }

                h.Append("</details>");
            }

            h.Append("</td></tr>\n");
        }

        h.Append("</tbody>\n</table>\n");
    }

    // The declared scope comes before any count: an auditor must see at once what the app says it does not do.
    private static void Scope(StringBuilder h, RunReport report)
    {
        var entries = DeclaredScope.Of(report);
        var declaredOnly = report.NotOffered.Where(n => entries.All(e => e.Capability != n.Key)).ToList();
        if (entries.Count == 0 && declaredOnly.Count == 0)
        {
            return;
        }

        h.Append("<h2>声明的适用范围 / Declared scope</h2>\n<table id=\"scope\">\n<thead><tr><th>功能 / Function</th><th>要求 / Required</th>")
            .Append("<th>应用的声明 / The app's declaration</th></tr></thead>\n<tbody>\n");
        foreach (var e in entries)
        {
            var bad = e.Mandatory && e.State != ScopeState.Offered;
            h.Append("<tr").Append(bad ? " class=\"failed\"" : "").Append("><td><code>").Append(E(e.Capability)).Append("</code> ").Append(E(e.Meaning.ToString()))
                .Append("</td><td>").Append(e.Mandatory ? "必备 / mandatory" : "视功能而定 / conditional")
                .Append("</td><td>").Append(E(e.State.Display().ToString()));
            if (e.Statement is { } statement)
            {
                h.Append(": ").Append(E(statement.ToString()));
            }

            h.Append("</td></tr>\n");
        }

        foreach (var (capability, statement) in declaredOnly)
        {
            h.Append("<tr><td><code>").Append(E(capability)).Append("</code></td><td>—</td><td>")
                .Append(E(ScopeState.NotOffered.Display().ToString())).Append(": ").Append(E(statement.ToString())).Append("</td></tr>\n");
        }

        h.Append("</tbody>\n</table>\n");
    }

    private static void Step(StringBuilder h, StepEvidence s)
    {
        var label = s.Iteration is { } i
            ? string.Create(CultureInfo.InvariantCulture, $"#{s.Step}.{i} {s.Action}")
            : string.Create(CultureInfo.InvariantCulture, $"#{s.Step} {s.Action}");
        h.Append("<div class=\"step").Append(s.Error is null ? "" : " e").Append("\">");
        if (s.Note is not null)
        {
            h.Append("<span class=\"mono\">").Append(E($"{label}: {s.Note}")).Append("</span><br>");
        }

        foreach (var e in s.Exchanges)
        {
            Exchange(h, label, e);
        }

        if (s.Error is not null)
        {
            h.Append(E(s.Error));
        }

        h.Append("</div>\n");
    }

    private static void Exchange(StringBuilder h, string label, Exchange e)
    {
        var status = e.Status is { } st ? st.ToString(CultureInfo.InvariantCulture) : "—";
        h.Append("<span class=\"mono\">")
            .Append(E($"{label}: {e.Method} {e.Path} → {status}"))
            .Append(E(string.Create(CultureInfo.InvariantCulture, $" ({e.DurationMs} ms)"))).Append("</span>");

        if (e.RequestBody is not null)
        {
            h.Append("<pre>").Append(E("→ " + e.RequestBody.ToString(Formatting.Indented))).Append("</pre>");
        }

        if (e.ResponseBody is not null)
        {
            var text = e.ResponseBody.Type == JTokenType.String ? (string)e.ResponseBody! : e.ResponseBody.ToString(Formatting.Indented);
            h.Append("<pre>").Append(E("← " + text)).Append("</pre>");
        }
        else
        {
            h.Append("<br>");
        }
    }

    private static void Traceability(StringBuilder h, RunReport report, RequirementCatalog catalog)
    {
        h.Append("<h2>要求追溯 / Requirement traceability</h2>\n<table id=\"requirements\">\n<thead><tr><th>要求 / Requirement</th>")
            .Append("<th>内容 / Text</th><th>检查项 / Cases</th></tr></thead>\n<tbody>\n");
        var byRequirement = report.Cases
            .SelectMany(c => c.Check.RequirementIds.Select(r => (Requirement: r, Case: c)))
            .GroupBy(x => x.Requirement, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal);
        foreach (var group in byRequirement)
        {
            h.Append("<tr><td><span class=\"req\">").Append(E(group.Key)).Append("</span></td><td>");
            if (catalog.TryGet(group.Key, out var requirement))
            {
                h.Append(E(requirement.Text.ZhCn)).Append("<br>").Append(E(requirement.Text.En))
                    .Append("<br><span class=\"meta\">").Append(E(requirement.Source + (requirement.Article is null ? "" : " " + requirement.Article))).Append("</span>");
            }

            h.Append("</td><td>");
            foreach (var (_, c) in group)
            {
                h.Append("<span class=\"badge b-").Append(c.Verdict.Wire()).Append("\">").Append(E(c.Verdict.Display().ZhCn)).Append("</span> ")
                    .Append("<span class=\"mono\">").Append(E(c.Id)).Append("</span><br>");
            }

            h.Append("</td></tr>\n");
        }

        h.Append("</tbody>\n</table>\n");
    }

    private static int Rank(CaseVerdict verdict) => verdict switch
    {
        CaseVerdict.Failed => 0,
        CaseVerdict.Error => 1,
        CaseVerdict.Skipped => 2,
        CaseVerdict.NotApplicable => 3,
        _ => 4,
    };

    private static string Severity(string severity) => severity switch
    {
        "critical" => "严重 / critical",
        "major" => "重要 / major",
        "minor" => "一般 / minor",
        _ => severity,
    };

    private static string E(string text) => WebUtility.HtmlEncode(text);

    /// <summary>HTML ids may not contain whitespace; case ids can (parameter set names).</summary>
    private static string AnchorId(string caseId) =>
        "case-" + string.Concat(caseId.Select(ch => char.IsWhiteSpace(ch) ? '_' : ch));
}
