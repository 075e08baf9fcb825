namespace TeenMode;

/// <summary>Requirement ids the SDK cites for rules that carry no number (numbers cite the rule pack).</summary>
internal static class RequirementIds
{
    /// <summary>Leaving teen mode needs guardian verification.</summary>
    public static IReadOnlyList<string> ExitNeedsGuardian { get; } = ["CAC-MM-EXIT-01", "CAC-MMD-EXIT-01"];

    /// <summary>Teen mode serves only the minors' content pool, by band.</summary>
    public static IReadOnlyList<string> ContentPool { get; } = ["CAC-MM-CONTENT-01", "CAC-MM-CONTENT-02"];

    /// <summary>Report channels must exist and be handled promptly.</summary>
    public static IReadOnlyList<string> ReportChannel { get; } = ["REG-MINOR-07", "MPL-78", "CAC-MM-REPORT-01"];

    // Content pool (issue 4).

    /// <summary>Items that may affect minors carry a prominent notice before display; unwarned ones are not transmitted.</summary>
    public static IReadOnlyList<string> MayAffectNotice { get; } = ["REG-MINOR-23", "REG-MINOR-29"];

    /// <summary>Items that may affect minors stay out of services for minors and out of prominent placements.</summary>
    public static IReadOnlyList<string> ProminentPlacement { get; } = ["REG-MINOR-24"];

    /// <summary>No fan-fundraising, vote-ranking or traffic-manipulation topics for minors.</summary>
    public static IReadOnlyList<string> ForbiddenTopics { get; } = ["REG-MINOR-45", "CAC-MMD-FUNC-01"];

    /// <summary>No commercial marketing aimed at minors.</summary>
    public static IReadOnlyList<string> Advertising { get; } = ["REG-MINOR-24"];

    /// <summary>External-link risks in minors' mode are controlled.</summary>
    public static IReadOnlyList<string> ExternalLinks { get; } = ["CAC-MM-ADDICT-01"];

    /// <summary>Rating changes are reviewed and labelled by band.</summary>
    public static IReadOnlyList<string> Rating { get; } = ["CAC-MM-CONTENT-01", "CAC-MMD-CONTENT-01"];

    // Guardians and guardian settings (issue 3).

    /// <summary>Binding a guardian: the guardian's verification is only worth something if no stranger can bind.</summary>
    public static IReadOnlyList<string> GuardianBinding { get; } = ["CAC-MM-EXIT-01", "CAC-MMD-EXIT-01", "CAC-MM-PARENT-01"];

    /// <summary>Guardians adjust defaults; lowering protection needs their verification.</summary>
    public static IReadOnlyList<string> GuardianSettings { get; } = ["CAC-MM-PARENT-01", "CAC-MM-EXIT-01", "CAC-MMD-EXIT-01"];

    // Age assurance (issue 16).

    /// <summary>The device's minor mode switches the app into teen mode in one step (device-app linkage).</summary>
    public static IReadOnlyList<string> DeviceMinorMode { get; } = ["CAC-MM-LINK-01", "CAC-MM-LINK-02", "CAC-MM-EXIT-01"];
}
