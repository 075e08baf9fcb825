using System.Globalization;
using System.Text;
using TeenMode.Harness.Running;

namespace TeenMode.Harness.Reporting;

/// <summary>
/// A short Markdown summary for a CI step summary (e.g. <c>$GITHUB_STEP_SUMMARY</c>): verdict, per-function
/// scorecard, then the cases that did not pass. Full evidence stays in report.json / report.html.
/// </summary>
public static class MarkdownReport
{
    /// <summary>Renders the summary.</summary>
    public static string Render(RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var md = new StringBuilder();
        var icon = report.Verdict switch
        {
            RunVerdict.Conformant => "✅",
            RunVerdict.NonConformant => "❌",
            _ => "⚠️",
        };
        var display = report.Verdict.Display();
        Line(md, $"## {icon} TeenMode 一致性 / conformance: **{display.ZhCn} / {display.En}**");
        Line(md);
        Line(md, $"- 套件 / suite: `{report.Suite.Id}` {report.Suite.Version} · 应用配置 / profile: `{report.ProfileId}` {report.ProfileVersion}");
        Line(md, $"- 目标 / target: `{report.Target}` · 运行 / run: `{report.RunId}`");
        var s = report.Summary;
        Line(md, $"- 通过 / passed {s[CaseVerdict.Passed]} · 不通过 / failed {s[CaseVerdict.Failed]} · 错误 / error {s[CaseVerdict.Error]} · 跳过 / skipped {s[CaseVerdict.Skipped]} · 不适用 / not applicable {s[CaseVerdict.NotApplicable]}");
        if (report.Gate is { } gate)
        {
            var waived = gate.Failures.Count(f => f.Treatment == Gating.GateTreatment.Waived);
            var below = gate.Failures.Count(f => f.Treatment == Gating.GateTreatment.BelowThreshold);
            Line(md, $"- 门禁 / gate: exit {gate.ExitCode} · --fail-on {gate.FailOn} · 豁免 / waived {waived} · 低于阈值 / below threshold {below}"
                + (gate.StaleWaivers.Count > 0 ? $" · 过时豁免 / stale waivers: {Cell(string.Join(", ", gate.StaleWaivers.Select(w => w.CheckId)))}" : "")
                + (gate.ExpiredWaivers.Count > 0 ? $" · 已过期 / expired: {Cell(string.Join(", ", gate.ExpiredWaivers.Select(w => w.CheckId)))}" : ""));
        }

        var scope = DeclaredScope.Of(report);
        if (scope.Any(e => e.State != ScopeState.Offered))
        {
            // What the app says it does not do comes first: a reader must not take a not-applicable for a pass.
            Line(md);
            Line(md, "**声明的适用范围 / declared scope**");
            Line(md);
            Line(md, "| 功能 / function | 要求 / required | 应用的声明 / the app's declaration |");
            Line(md, "|---|---|---|");
            foreach (var e in scope.Where(e => e.State != ScopeState.Offered))
            {
                var statement = e.Statement is { } st ? ": " + st : "";
                Line(md, $"| `{e.Capability}` {Cell(e.Meaning.ToString())} | {(e.Mandatory ? "**必备 / mandatory**" : "视功能而定 / conditional")} | {Cell(e.State.Display() + statement)} |");
            }
        }

        Line(md);
        Line(md, "| 功能 / function | 通过 / passed | 不通过 / failed | 错误 / error | 跳过 / skipped | 不适用 / n/a | 得分 / score |");
        Line(md, "|---|---:|---:|---:|---:|---:|---:|");
        foreach (var f in FunctionScore.Of(report))
        {
            Line(md, $"| {f.Function} | {f.Passed} | {f.Failed} | {f.Errors} | {f.Skipped} | {f.NotApplicable} | {f.Percent}% |");
        }

        var notPassed = report.Cases.Where(c => c.Verdict != CaseVerdict.Passed)
            .OrderBy(c => c.Verdict switch { CaseVerdict.Failed => 0, CaseVerdict.Error => 1, CaseVerdict.Skipped => 2, _ => 3 })
            .ToList();
        if (notPassed.Count > 0)
        {
            Line(md);
            Line(md, "| 检查 / check | 结果 / verdict | 严重性 / severity | 要求 / requirements | 说明 / message |");
            Line(md, "|---|---|---|---|---|");
            foreach (var c in notPassed)
            {
                Line(md, $"| `{Cell(c.Id)}` | {c.Verdict.Wire()} | {c.Check.Severity} | {Cell(string.Join(", ", c.Check.RequirementIds))} | {Cell(c.Message)} |");
            }
        }

        return md.ToString();
    }

    private static void Line(StringBuilder md, string text = "") => md.Append(text).Append('\n');

    // A message must stay inside its table cell, and text from the app must not become HTML in a CI summary.
    private static string Cell(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal)
            .Replace("|", "\\|", StringComparison.Ordinal).Replace("\r", " ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal)
            .Replace("`", "'", StringComparison.Ordinal);
}
