using Newtonsoft.Json.Linq;

namespace TeenMode.Harness.Suites;

/// <summary>A conformance suite: scripted checks, each tagged with the requirement ids it verifies.</summary>
public sealed record Suite(string Id, string Version, LocalizedText Title, IReadOnlyList<Check> Checks)
{
    /// <summary>Where the suite came from (a path or <c>embedded:id</c>).</summary>
    public string Source { get; init; } = "";

    /// <summary>SHA-256 (lower-case hex) of the suite text, so a report pins exactly what ran.</summary>
    public string Sha256 { get; init; } = "";

    /// <summary>
    /// Capabilities every teen-mode app must have, with what they stand for: declaring one "not offered" fails its
    /// checks instead of making them not applicable.
    /// </summary>
    public IReadOnlyDictionary<string, LocalizedText> Mandatory { get; init; } = new Dictionary<string, LocalizedText>(StringComparer.Ordinal);

    /// <summary>Capabilities for features an app may not offer (games, payments, …): declared "not offered", their checks are not applicable.</summary>
    public IReadOnlyDictionary<string, LocalizedText> Conditional { get; init; } = new Dictionary<string, LocalizedText>(StringComparer.Ordinal);

    /// <summary>Every capability the suite names, in its checks or its scope.</summary>
    public IReadOnlySet<string> CapabilityNames() =>
        Checks.SelectMany(c => c.Capabilities).Concat(Mandatory.Keys).Concat(Conditional.Keys).ToHashSet(StringComparer.Ordinal);
}

/// <summary>One check; with parameter sets it runs once per set.</summary>
public sealed record Check(
    string Id,
    LocalizedText Title,
    string Function,
    string Severity,
    IReadOnlyList<string> RequirementIds,
    IReadOnlyList<string> Capabilities,
    IReadOnlyList<ParameterSet> Parameters,
    IReadOnlyList<SuiteStep> Steps)
{
    /// <summary>The profile fixture list this check runs over (once per item), or null.</summary>
    public string? ForEachFixture { get; init; }

    /// <summary>The variables each fixture item must give (checked when the suite is loaded and when it runs).</summary>
    public IReadOnlyList<string> FixtureVars { get; init; } = [];

    /// <summary>The cases to run: one per parameter set, or a single case without parameters.</summary>
    public IEnumerable<CheckCase> Cases() =>
        Parameters.Count == 0
            ? [new CheckCase(this, Id, null, new JObject())]
            : Parameters.Select(p => new CheckCase(this, $"{Id}[{p.Name}]", p.Name, p.Vars));

    /// <summary>
    /// The cases against a profile: for a fixture check, one per fixture item (times the parameter sets), named by the
    /// item's <c>id</c>, <c>itemId</c> or position; otherwise <see cref="Cases()"/>.
    /// </summary>
    public IEnumerable<CheckCase> Cases(IReadOnlyDictionary<string, IReadOnlyList<JObject>> fixtures)
    {
        ArgumentNullException.ThrowIfNull(fixtures);
        if (ForEachFixture is null)
        {
            return Cases();
        }

        if (!fixtures.TryGetValue(ForEachFixture, out var items) || items.Count == 0)
        {
            return [new CheckCase(this, Id, null, new JObject()) { MissingFixture = ForEachFixture }];
        }

        return items.SelectMany((item, n) => Cases().Select(c =>
        {
            var name = (string?)item["id"] ?? (string?)item["itemId"] ?? (string?)item["purpose"] ?? (n + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var vars = (JObject)c.Vars.DeepClone();
            foreach (var p in item.Properties())
            {
                vars[p.Name] = p.Value.DeepClone();
            }

            var set = c.ParameterSet is null ? name : $"{name}, {c.ParameterSet}";
            return new CheckCase(this, $"{Id}[{set}]", set, vars);
        }));
    }
}

/// <summary>A named set of variables for one run of a check.</summary>
public sealed record ParameterSet(string Name, JObject Vars);

/// <summary>One run of a check with one parameter set.</summary>
public sealed record CheckCase(Check Check, string Id, string? ParameterSet, JObject Vars)
{
    /// <summary>Set when the check runs over a fixture list the profile does not give: the case is skipped.</summary>
    public string? MissingFixture { get; init; }
}

/// <summary>One scripted step.</summary>
/// <param name="Index">1-based position in the check.</param>
/// <param name="Action">An action from <see cref="ActionVocabulary"/>.</param>
/// <param name="Args">Argument template.</param>
/// <param name="Repeat">Null, an integer, or a <c>${var}</c> string.</param>
/// <param name="Save">Variable name → result field to copy after the step.</param>
/// <param name="Expect">Result field → expected value template.</param>
public sealed record SuiteStep(int Index, string Action, JObject Args, JToken? Repeat, IReadOnlyDictionary<string, string> Save, JObject Expect)
{
    /// <summary>Seconds to advance the app's clock before the step (each iteration), an integer or <c>${var}</c>; null: none.</summary>
    public JToken? Advance { get; init; }
}

/// <summary>The check functions (the four functions plus anti-addiction and age assurance).</summary>
public static class CheckFunctions
{
    /// <summary>Function id → display name.</summary>
    public static IReadOnlyDictionary<string, LocalizedText> Names { get; } = new Dictionary<string, LocalizedText>(StringComparer.Ordinal)
    {
        ["content-pool"] = new("内容池", "Content pool"),
        ["personal-info"] = new("个人信息保护", "Personal information"),
        ["parental-control"] = new("家长控制", "Parental control"),
        ["reporting"] = new("举报机制", "Reporting channel"),
        ["anti-addiction"] = new("防沉迷", "Anti-addiction"),
        ["age-assurance"] = new("年龄识别", "Age assurance"),
    };

    /// <summary>The display name of <paramref name="function"/>, or the id itself.</summary>
    public static LocalizedText NameOf(string function) =>
        Names.TryGetValue(function, out var name) ? name : new LocalizedText(function, function);
}
