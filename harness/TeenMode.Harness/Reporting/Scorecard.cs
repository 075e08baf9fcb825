using TeenMode.Harness.Running;

namespace TeenMode.Harness.Reporting;

/// <summary>Per-function counts of a run, in the order the suite first names each function.</summary>
public sealed record FunctionScore(string Function, int Passed, int Failed, int Errors, int Skipped, int NotApplicable)
{
    /// <summary>The cases that apply to the app (not-applicable ones excluded).</summary>
    public int Total => Passed + Failed + Errors + Skipped;

    /// <summary>Passed cases as a whole percentage of the applicable ones (0 when there are none).</summary>
    public int Percent => Total == 0 ? 0 : (int)Math.Floor(100.0 * Passed / Total);

    /// <summary>The scores of <paramref name="report"/>.</summary>
    public static IReadOnlyList<FunctionScore> Of(RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return report.Cases
            .GroupBy(c => c.Check.Function, StringComparer.Ordinal)
            .Select(g => new FunctionScore(g.Key,
                g.Count(c => c.Verdict == CaseVerdict.Passed),
                g.Count(c => c.Verdict == CaseVerdict.Failed),
                g.Count(c => c.Verdict == CaseVerdict.Error),
                g.Count(c => c.Verdict == CaseVerdict.Skipped),
                g.Count(c => c.Verdict == CaseVerdict.NotApplicable)))
            .ToList();
    }
}
