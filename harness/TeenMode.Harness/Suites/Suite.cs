using Newtonsoft.Json.Linq;

namespace TeenMode.Harness.Suites;

/// <summary>A conformance suite: scripted checks, each tagged with the requirement ids it verifies.</summary>
public sealed record Suite(string Id, string Version, LocalizedText Title, IReadOnlyList<Check> Checks)
{
    /// <summary>Where the suite came from (a path or <c>embedded:id</c>).</summary>
    public string Source { get; init; } = "";

    /// <summary>SHA-256 (lower-case hex) of the suite text, so a report pins exactly what ran.</summary>
    public string Sha256 { get; init; } = "";
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
    /// <summary>The cases to run: one per parameter set, or a single case without parameters.</summary>
    public IEnumerable<CheckCase> Cases() =>
        Parameters.Count == 0
            ? [new CheckCase(this, Id, null, new JObject())]
            : Parameters.Select(p => new CheckCase(this, $"{Id}[{p.Name}]", p.Name, p.Vars));
}

/// <summary>A named set of variables for one run of a check.</summary>
public sealed record ParameterSet(string Name, JObject Vars);

/// <summary>One run of a check with one parameter set.</summary>
public sealed record CheckCase(Check Check, string Id, string? ParameterSet, JObject Vars);

/// <summary>One scripted step.</summary>
/// <param name="Index">1-based position in the check.</param>
/// <param name="Action">An action from <see cref="ActionVocabulary"/>.</param>
/// <param name="Args">Argument template.</param>
/// <param name="Repeat">Null, an integer, or a <c>${var}</c> string.</param>
/// <param name="Save">Variable name → result field to copy after the step.</param>
/// <param name="Expect">Result field → expected value template.</param>
public sealed record SuiteStep(int Index, string Action, JObject Args, JToken? Repeat, IReadOnlyDictionary<string, string> Save, JObject Expect);

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
