using Newtonsoft.Json.Linq;

namespace TeenMode.Rules;

/// <summary>The personal-information numbers of a rule pack (<c>personalInfo</c>).</summary>
/// <param name="GuardianConsentUnderAge">Below this age collection waits for a separate guardian consent.</param>
/// <param name="RequestDueDays">Days to complete a data-subject request, or null when the pack sets none.</param>
/// <param name="RequestDueBasis">Whose number <paramref name="RequestDueDays"/> is (the law gives none).</param>
public sealed record PersonalInfoRules(Sourced<int> GuardianConsentUnderAge, Sourced<int>? RequestDueDays, LocalizedText? RequestDueBasis);

public sealed partial class RulePack
{
    /// <summary>The personal-information rules, or null when the pack sets none (then every minor needs guardian consent).</summary>
    public PersonalInfoRules? PersonalInfo { get; internal init; }
}

public static partial class RulePackLoader
{
    private static PersonalInfoRules? PersonalInfoRules(JObject root)
    {
        if (root["personalInfo"] is not { } pi)
        {
            return null;
        }

        var due = pi["dataSubjectRequestDueDays"];
        return new PersonalInfoRules(
            new Sourced<int>((int)pi["guardianConsentUnderAge"]!["value"]!, Ids(pi["guardianConsentUnderAge"]!)),
            due is null ? null : new Sourced<int>((int)due["value"]!, due["requirementIds"] is null ? [] : Ids(due)),
            due is null ? null : new LocalizedText((string)due["basis"]!["zh-CN"]!, (string)due["basis"]!["en"]!));
    }
}
