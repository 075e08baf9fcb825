using TeenMode.Rules;

namespace TeenMode.Reporting;

/// <summary>Deadlines and escalation per report category.</summary>
public interface IReportDeadlinePolicy
{
    /// <summary>The rules of <paramref name="category"/>.</summary>
    ReportCategoryRules RulesFor(ReportCategory category);
}

/// <summary>Takes deadlines and escalation from the rule pack's reporting section.</summary>
internal sealed class RulePackReportDeadlinePolicy(RulePack pack) : IReportDeadlinePolicy
{
    public ReportCategoryRules RulesFor(ReportCategory category) =>
        (pack.Reporting ?? throw new TeenModeConfigurationException(
            $"Rule pack '{pack.Id}' has no reporting section: the reporting channel needs its per-category deadlines.")).For(category);
}
