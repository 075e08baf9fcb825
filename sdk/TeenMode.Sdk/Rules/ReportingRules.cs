using Newtonsoft.Json.Linq;
using TeenMode.Reporting;

namespace TeenMode.Rules;

/// <summary>The rule pack's numbers for one report category.</summary>
/// <param name="Category">The category.</param>
/// <param name="TriageWithin">How long after receipt a report must be triaged.</param>
/// <param name="ResolveWithin">How long after receipt a report must be closed.</param>
/// <param name="TriageRequirementIds">Why the triage deadline exists.</param>
/// <param name="ResolveRequirementIds">Why the resolution deadline exists.</param>
/// <param name="EscalateToAuthority">True when every report of this category is notified to the authority sink.</param>
/// <param name="EscalationRequirementIds">Why it is escalated (empty when not).</param>
public sealed record ReportCategoryRules(
    ReportCategory Category,
    TimeSpan TriageWithin,
    TimeSpan ResolveWithin,
    IReadOnlyList<string> TriageRequirementIds,
    IReadOnlyList<string> ResolveRequirementIds,
    bool EscalateToAuthority,
    IReadOnlyList<string> EscalationRequirementIds);

/// <summary>The reporting section of a rule pack: deadlines and escalation per category.</summary>
public sealed class ReportingRules
{
    private readonly Dictionary<ReportCategory, ReportCategoryRules> _byCategory;

    internal ReportingRules(IEnumerable<ReportCategoryRules> categories) =>
        _byCategory = categories.ToDictionary(c => c.Category);

    /// <summary>Every category's rules.</summary>
    public IReadOnlyCollection<ReportCategoryRules> Categories => _byCategory.Values;

    /// <summary>The rules for <paramref name="category"/>; the loader guarantees every category has some.</summary>
    public ReportCategoryRules For(ReportCategory category) => _byCategory[category];

    internal static ReportingRules? Parse(JToken? token, string file, List<SeedError> errors)
    {
        if (token is not JObject section || section["categories"] is not JObject categories)
        {
            return null;
        }

        var rules = new List<ReportCategoryRules>();
        foreach (var category in Enum.GetValues<ReportCategory>())
        {
            var name = WireName(category);
            if (categories[name] is not JObject c)
            {
                errors.Add(SeedJson.At(file, categories, $"reporting category '{name}' has no deadlines"));
                continue;
            }

            var triage = (int)c["triageHours"]!["value"]!;
            var resolve = (int)c["resolveHours"]!["value"]!;
            if (resolve < triage)
            {
                errors.Add(SeedJson.At(file, c["resolveHours"], $"'{name}' resolveHours {resolve} is shorter than triageHours {triage}"));
            }

            var escalate = c["escalateToAuthority"];
            rules.Add(new ReportCategoryRules(
                category,
                TimeSpan.FromHours(triage),
                TimeSpan.FromHours(resolve),
                Ids(c["triageHours"]!),
                Ids(c["resolveHours"]!),
                escalate is not null && (bool)escalate["value"]!,
                escalate is null ? [] : Ids(escalate)));
        }

        return new ReportingRules(rules);
    }

    /// <summary>The kebab-case name a category has in rule packs and on the wire (<c>SexualExploitation</c> → <c>sexual-exploitation</c>).</summary>
    public static string WireName(ReportCategory category) => Kebab.Of(category);

    private static string[] Ids(JToken token) => token["requirementIds"]!.Values<string>().Select(s => s!).ToArray();
}
