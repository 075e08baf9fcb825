using Newtonsoft.Json.Linq;
using TeenMode.Harness.Drivers;
using TeenMode.Harness.Suites;

namespace TeenMode.Harness.Running;

/// <summary>The verdict of one check case.</summary>
public enum CaseVerdict
{
    /// <summary>Every expectation held.</summary>
    Passed,

    /// <summary>An expectation did not hold: the app does not conform.</summary>
    Failed,

    /// <summary>The case could not be judged (transport, timeout, unexpected answer): never a pass or a fail.</summary>
    Error,

    /// <summary>Not run: the profile lacks a required capability or action (the reason says which).</summary>
    Skipped,

    /// <summary>Not run: the app declares it does not offer a feature the check needs (the declaration is recorded).</summary>
    NotApplicable,
}

/// <summary>The verdict of a whole run.</summary>
public enum RunVerdict
{
    /// <summary>Complete, and every case passed.</summary>
    Conformant,

    /// <summary>At least one case failed.</summary>
    NonConformant,

    /// <summary>No case failed, but some could not be judged or were skipped.</summary>
    Incomplete,
}

/// <summary>Wire names, display names and aggregation of verdicts.</summary>
public static class Verdicts
{
    /// <summary>The wire name, e.g. <c>passed</c>.</summary>
    public static string Wire(this CaseVerdict verdict) => verdict switch
    {
        CaseVerdict.Passed => "passed",
        CaseVerdict.Failed => "failed",
        CaseVerdict.Error => "error",
        CaseVerdict.Skipped => "skipped",
        CaseVerdict.NotApplicable => "not-applicable",
        _ => throw new ArgumentOutOfRangeException(nameof(verdict)),
    };

    /// <summary>The wire name, e.g. <c>non-conformant</c>.</summary>
    public static string Wire(this RunVerdict verdict) => verdict switch
    {
        RunVerdict.Conformant => "conformant",
        RunVerdict.NonConformant => "non-conformant",
        RunVerdict.Incomplete => "incomplete",
        _ => throw new ArgumentOutOfRangeException(nameof(verdict)),
    };

    /// <summary>Bilingual display name.</summary>
    public static LocalizedText Display(this CaseVerdict verdict) => verdict switch
    {
        CaseVerdict.Passed => new("通过", "passed"),
        CaseVerdict.Failed => new("不通过", "failed"),
        CaseVerdict.Error => new("错误", "error"),
        CaseVerdict.Skipped => new("跳过", "skipped"),
        CaseVerdict.NotApplicable => new("不适用", "not applicable"),
        _ => throw new ArgumentOutOfRangeException(nameof(verdict)),
    };

    /// <summary>Bilingual display name.</summary>
    public static LocalizedText Display(this RunVerdict verdict) => verdict switch
    {
        RunVerdict.Conformant => new("符合", "conformant"),
        RunVerdict.NonConformant => new("不符合", "non-conformant"),
        RunVerdict.Incomplete => new("不完整", "incomplete"),
        _ => throw new ArgumentOutOfRangeException(nameof(verdict)),
    };

    /// <summary>
    /// Conformant only when at least one case passed and every other case passed or is not applicable
    /// (declared by the app); any failure makes the run non-conformant; otherwise errors or skips make it incomplete.
    /// </summary>
    public static RunVerdict Aggregate(IEnumerable<CaseVerdict> verdicts)
    {
        ArgumentNullException.ThrowIfNull(verdicts);
        var list = verdicts.ToList();
        if (list.Contains(CaseVerdict.Failed))
        {
            return RunVerdict.NonConformant;
        }

        return list.Contains(CaseVerdict.Passed) && list.TrueForAll(v => v is CaseVerdict.Passed or CaseVerdict.NotApplicable)
            ? RunVerdict.Conformant
            : RunVerdict.Incomplete;
    }

    /// <summary>One verdict for several cases of a check: failed beats error beats skipped beats passed.</summary>
    public static CaseVerdict Worst(IEnumerable<CaseVerdict> verdicts)
    {
        ArgumentNullException.ThrowIfNull(verdicts);
        var list = verdicts.ToList();
        return list.Contains(CaseVerdict.Failed) ? CaseVerdict.Failed
            : list.Contains(CaseVerdict.Error) ? CaseVerdict.Error
            : list.Contains(CaseVerdict.Skipped) || list.Count == 0 ? CaseVerdict.Skipped
            : list.TrueForAll(v => v == CaseVerdict.NotApplicable) ? CaseVerdict.NotApplicable
            : CaseVerdict.Passed;
    }

    /// <summary>The process exit code for a run verdict: 0 conformant, 1 non-conformant, 3 incomplete.</summary>
    public static int ExitCode(this RunVerdict verdict) => verdict switch
    {
        RunVerdict.Conformant => ExitCodes.Conformant,
        RunVerdict.NonConformant => ExitCodes.NonConformant,
        _ => ExitCodes.Incomplete,
    };
}

/// <summary>The CLI's exit codes.</summary>
public static class ExitCodes
{
    /// <summary>Every check passed.</summary>
    public const int Conformant = 0;

    /// <summary>At least one check failed.</summary>
    public const int NonConformant = 1;

    /// <summary>Bad command line, suite or profile.</summary>
    public const int UsageError = 2;

    /// <summary>The target was unreachable, or errors or skips left the run incomplete.</summary>
    public const int Incomplete = 3;
}

/// <summary>One step's evidence: which step and iteration, and the exchange.</summary>
public sealed record StepEvidence(int Step, int? Iteration, string Action, Exchange Exchange, string? Error)
{
    /// <summary>Every exchange of the step (a format-2 action may send several requests); the last is <see cref="Exchange"/>.</summary>
    public IReadOnlyList<Exchange> Exchanges { get; init; } = [Exchange];

    /// <summary>How the step was performed when it differs from the action's mapping (e.g. a decision read from a heartbeat's answer).</summary>
    public string? Note { get; init; }
}

/// <summary>The outcome of one case.</summary>
public sealed record CaseResult(
    string Id,
    Check Check,
    string? ParameterSet,
    CaseVerdict Verdict,
    string Message,
    long DurationMs,
    IReadOnlyList<StepEvidence> Steps);

/// <summary>A case not run again in a re-run, with its verdict from the previous report.</summary>
public sealed record CarriedCase(string Id, CaseVerdict Verdict);

/// <summary>A finished run.</summary>
public sealed record RunReport
{
    /// <summary>Version of the report format.</summary>
    public const string CurrentSchemaVersion = "1.0";

    public required RunVerdict Verdict { get; init; }

    public required string RunId { get; init; }

    public required Suite Suite { get; init; }

    public required string ProfileId { get; init; }

    public required string ProfileVersion { get; init; }

    public required string ProfileSha256 { get; init; }

    public required string Target { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required DateTimeOffset FinishedAt { get; init; }

    public required IReadOnlyList<string> Capabilities { get; init; }

    /// <summary>The app's answer to the <c>info</c> action (redacted), when the profile has one.</summary>
    public JToken? TargetInfo { get; init; }

    public required IReadOnlyList<CaseResult> Cases { get; init; }

    /// <summary>Ctrl+C stopped the run: the report is partial and the verdict is incomplete.</summary>
    public bool Interrupted { get; init; }

    /// <summary>For a re-run of failed and errored cases: the previous run's id.</summary>
    public string? RerunOf { get; init; }

    /// <summary>For a re-run: cases taken over from the previous report (they count towards <see cref="Verdict"/>).</summary>
    public IReadOnlyList<CarriedCase> CarriedOver { get; init; } = [];

    /// <summary>What the app declared it does not offer (from the profile), recorded as the reason for not-applicable cases.</summary>
    public IReadOnlyDictionary<string, LocalizedText> NotOffered { get; init; } = new Dictionary<string, LocalizedText>(StringComparer.Ordinal);

    /// <summary>The CI gate's decision (severity threshold and waivers), when one was applied.</summary>
    public Gating.GateResult? Gate { get; init; }

    /// <summary>Counts per verdict (every verdict present, zero included).</summary>
    public IReadOnlyDictionary<CaseVerdict, int> Summary =>
        Enum.GetValues<CaseVerdict>().ToDictionary(v => v, v => Cases.Count(c => c.Verdict == v));
}
