using TeenMode.Harness.Running;

namespace TeenMode.Harness.Gating;

/// <summary>Check severities, most severe first.</summary>
public static class Severities
{
    private static readonly string[] Order = ["critical", "major", "minor"];

    /// <summary>The suite's severities in order.</summary>
    public static IReadOnlyList<string> All { get; } = Array.AsReadOnly(Order);

    /// <summary>0 for critical, 1 for major, 2 for minor.</summary>
    /// <exception cref="ArgumentException">Not a known severity.</exception>
    public static int Rank(string severity)
    {
        var rank = Array.IndexOf(Order, severity);
        return rank >= 0 ? rank : throw new ArgumentException($"unknown severity '{severity}' (critical, major, minor)", nameof(severity));
    }
}

/// <summary>How a failure was treated by the gate.</summary>
public enum GateTreatment
{
    /// <summary>It fails the gate.</summary>
    Blocking,

    /// <summary>Below the <c>--fail-on</c> severity.</summary>
    BelowThreshold,

    /// <summary>Covered by an active waiver.</summary>
    Waived,
}

/// <summary>The gate's decision for a run.</summary>
/// <param name="ExitCode">0 pass, 1 blocking failures, 3 incomplete (errors or skips and no blocking failure).</param>
/// <param name="FailOn">The threshold used.</param>
/// <param name="Failures">Each failed case and how it was treated.</param>
/// <param name="StaleWaivers">Waivers for checks that no longer fail: remove them.</param>
/// <param name="ExpiredWaivers">Waivers past their expiry: their failures block again.</param>
public sealed record GateResult(
    int ExitCode,
    string FailOn,
    IReadOnlyList<(string CaseId, GateTreatment Treatment)> Failures,
    IReadOnlyList<Waiver> StaleWaivers,
    IReadOnlyList<Waiver> ExpiredWaivers);

/// <summary>Turns a run into a CI decision: severity threshold and waivers, never hiding errors as passes.</summary>
public static class Gate
{
    /// <summary>Decides the exit code of <paramref name="report"/>.</summary>
    /// <param name="report">The run.</param>
    /// <param name="failOn">Failures at or above this severity block (<c>minor</c>: every failure).</param>
    /// <param name="waivers">Accepted exceptions.</param>
    /// <param name="today">The UTC date on which waivers are judged.</param>
    public static GateResult Evaluate(RunReport report, string failOn, IReadOnlyList<Waiver> waivers, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(waivers);
        var threshold = Severities.Rank(failOn);
        var active = waivers.Where(w => w.Expires >= today).ToDictionary(w => w.CheckId, StringComparer.Ordinal);
        var expired = waivers.Where(w => w.Expires < today).ToList();
        var failures = report.Cases
            .Where(c => c.Verdict == CaseVerdict.Failed)
            .Select(c => (c.Id, Severities.Rank(c.Check.Severity) > threshold ? GateTreatment.BelowThreshold
                : active.ContainsKey(c.Check.Id) ? GateTreatment.Waived
                : GateTreatment.Blocking))
            .ToList();
        var failingChecks = report.Cases.Where(c => c.Verdict == CaseVerdict.Failed).Select(c => c.Check.Id).ToHashSet(StringComparer.Ordinal);
        var ranChecks = report.Cases.Where(c => c.Verdict == CaseVerdict.Passed).Select(c => c.Check.Id).ToHashSet(StringComparer.Ordinal);
        var stale = waivers.Where(w => !failingChecks.Contains(w.CheckId) && ranChecks.Contains(w.CheckId)).ToList();
        var incomplete = report.Cases.Count == 0 || report.Cases.Any(c => c.Verdict is CaseVerdict.Error or CaseVerdict.Skipped);
        var exit = failures.Any(f => f.Item2 == GateTreatment.Blocking) ? ExitCodes.NonConformant
            : incomplete ? ExitCodes.Incomplete
            : ExitCodes.Conformant;
        return new GateResult(exit, failOn, failures, stale, expired);
    }
}
