namespace TeenMode;

/// <summary>Requirement ids the SDK cites for rules that carry no number (numbers cite the rule pack).</summary>
public static class RequirementIds
{
    /// <summary>Leaving teen mode needs guardian verification.</summary>
    public static IReadOnlyList<string> ExitNeedsGuardian { get; } = ["CAC-MM-EXIT-01", "CAC-MMD-EXIT-01"];

    /// <summary>Teen mode serves only the minors' content pool, by band.</summary>
    public static IReadOnlyList<string> ContentPool { get; } = ["CAC-MM-CONTENT-01", "CAC-MM-CONTENT-02"];

    /// <summary>Report channels must exist and be handled promptly.</summary>
    public static IReadOnlyList<string> ReportChannel { get; } = ["REG-MINOR-07", "MPL-78", "CAC-MM-REPORT-01"];
}
