using TeenMode.Harness.Running;

namespace TeenMode.Harness.Reporting;

/// <summary>Whether the app offers a function the suite names.</summary>
public enum ScopeState
{
    /// <summary>The profile drives it and the app offers it.</summary>
    Offered,

    /// <summary>The app declares it does not offer it.</summary>
    NotOffered,

    /// <summary>Neither offered nor declared: its checks are skipped.</summary>
    Undeclared,
}

/// <summary>One row of the declared scope: a function, whether every app must have it, and what the app said.</summary>
public sealed record ScopeEntry(string Capability, LocalizedText Meaning, bool Mandatory, ScopeState State, LocalizedText? Statement);

/// <summary>The app's declared scope against the suite's mandatory and conditional functions, for the reports' first screen.</summary>
public static class DeclaredScope
{
    /// <summary>Mandatory functions first, then conditional ones, each with the app's declaration.</summary>
    public static IReadOnlyList<ScopeEntry> Of(RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return report.Suite.Mandatory.Select(m => Entry(report, m.Key, m.Value, mandatory: true))
            .Concat(report.Suite.Conditional.Select(c => Entry(report, c.Key, c.Value, mandatory: false)))
            .ToList();
    }

    /// <summary>Bilingual text of a state.</summary>
    public static LocalizedText Display(this ScopeState state) => state switch
    {
        ScopeState.Offered => new("提供", "offered"),
        ScopeState.NotOffered => new("声明不提供", "declared not offered"),
        _ => new("未声明（相关检查跳过）", "not declared (its checks are skipped)"),
    };

    private static ScopeEntry Entry(RunReport report, string capability, LocalizedText meaning, bool mandatory)
    {
        var state = report.NotOffered.ContainsKey(capability) ? ScopeState.NotOffered
            : report.Capabilities.Contains(capability, StringComparer.Ordinal) ? ScopeState.Offered
            : ScopeState.Undeclared;
        return new ScopeEntry(capability, meaning, mandatory, state, report.NotOffered.GetValueOrDefault(capability));
    }
}
