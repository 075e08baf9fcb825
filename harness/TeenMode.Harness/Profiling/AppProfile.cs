using Newtonsoft.Json.Linq;
using TeenMode.Harness.Templating;

namespace TeenMode.Harness.Profiling;

/// <summary>Maps the driver-neutral actions onto one app's HTTP API (see <c>docs/profile-format.md</c>).</summary>
public sealed record AppProfile(
    string Id,
    string Version,
    IReadOnlyList<string> Capabilities,
    IReadOnlyList<string> Secrets,
    IReadOnlyDictionary<string, string> Headers,
    IReadOnlyDictionary<string, ActionMapping> Actions)
{
    /// <summary>Where the profile came from (a path or a built-in file name).</summary>
    public string Source { get; init; } = "";

    /// <summary>SHA-256 (lower-case hex) of the profile text.</summary>
    public string Sha256 { get; init; } = "";

    /// <summary>1 for the original format, 2 for profiles that use sequences, expressions, outcome tables and memory.</summary>
    public int FormatVersion { get; init; } = 1;

    /// <summary>Capabilities the app declares it does not offer, with its statement (checks needing them are not-applicable).</summary>
    public IReadOnlyDictionary<string, LocalizedText> NotOffered { get; init; } = new Dictionary<string, LocalizedText>(StringComparer.Ordinal);

    /// <summary>Profile-level variables: name → template over <c>env.NAME</c> and command-line variables.</summary>
    public IReadOnlyDictionary<string, string> Variables { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>How the app's clock behaves once set, and the zone local times are read in.</summary>
    public ClockSpec Clock { get; init; } = ClockSpec.Default;

    /// <summary>Memory namespaces: namespace → the variable whose value keys it (e.g. <c>subject</c> → <c>subjectId</c>).</summary>
    public IReadOnlyDictionary<string, string> Memory { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Named lists describing the app's own data, for checks that run once per item.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<JObject>> Fixtures { get; init; } = new Dictionary<string, IReadOnlyList<JObject>>(StringComparer.Ordinal);

    /// <summary>With format 2 the suite's <c>status</c> expectations compare by class (2xx, 4xx, …).</summary>
    public bool StatusByClass => FormatVersion >= 2;

    /// <summary>
    /// Every variable named in a header template, profile-wide or per request (e.g. <c>conformanceKey</c>,
    /// which a profile may send only on its conformance actions).
    /// </summary>
    public IReadOnlyCollection<string> HeaderVariables =>
        Headers.Values.Concat(Actions.Values.SelectMany(a => a.Requests).SelectMany(r => r.Headers.Values))
            .SelectMany(Template.References).Distinct(StringComparer.Ordinal).ToList();
}

/// <summary>The app's clock model.</summary>
/// <param name="Model"><c>frozen</c>: stays where it was set until advanced; <c>running</c>: keeps running from the set time.</param>
/// <param name="TimeZone">The IANA zone of the rule pack the app uses.</param>
public sealed record ClockSpec(string Model, string TimeZone)
{
    /// <summary>Format 1's behaviour: a frozen clock in Asia/Shanghai.</summary>
    public static ClockSpec Default { get; } = new("frozen", "Asia/Shanghai");

    /// <summary>True for a running clock.</summary>
    public bool Running => Model == "running";
}

/// <summary>A named expression evaluated before requests.</summary>
public sealed record Binding(string Name, string Expression);

/// <summary>How one action becomes one or more HTTP requests, and how the answers become result fields.</summary>
/// <param name="Name">The action.</param>
/// <param name="Let">Expressions evaluated before the first request.</param>
/// <param name="Requests">The requests, in order (format 1: exactly one).</param>
/// <param name="Extract">Result field → extractor, read from the last answer.</param>
/// <param name="Outcome">A decision table over the last answer, or null.</param>
/// <param name="Remember">Memory entry (<c>namespace.name</c>) → template, stored after a 2xx answer.</param>
public sealed record ActionMapping(
    string Name,
    IReadOnlyList<Binding> Let,
    IReadOnlyList<RequestSpec> Requests,
    IReadOnlyDictionary<string, Extractor> Extract,
    OutcomeTable? Outcome,
    IReadOnlyDictionary<string, string> Remember)
{
    /// <summary>The last request's method (what a format-1 action had).</summary>
    public string Method => Requests[^1].Method;

    /// <summary>The last request's path template.</summary>
    public string Path => Requests[^1].Path;
}

/// <summary>One request of an action.</summary>
public sealed record RequestSpec(
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> Headers,
    JToken? Body,
    IReadOnlyList<Binding> Let,
    string? When,
    IReadOnlyDictionary<string, Extractor> Capture,
    bool Continue)
{
    /// <summary>A form body (<c>application/x-www-form-urlencoded</c>) template instead of a JSON body, or null.</summary>
    public JObject? Form { get; init; }
}

/// <summary>Where a value is read from in an answer.</summary>
public enum ExtractorKind
{
    /// <summary>A JSONPath into the body.</summary>
    Path,

    /// <summary>The HTTP status.</summary>
    Status,

    /// <summary>A response header.</summary>
    Header,

    /// <summary>A cookie the answer sets.</summary>
    Cookie,

    /// <summary>A template over the action's scope.</summary>
    Value,

    /// <summary>An expression over the answer and the scope.</summary>
    Expression,
}

/// <summary>Reads one value from an answer, optionally translated through a map.</summary>
/// <param name="Kind">Where the value comes from.</param>
/// <param name="Source">The JSONPath, header or cookie name, template or expression.</param>
/// <param name="Map">App value (as text) → result value; null when the value is used as read.</param>
/// <param name="Default">The value for app values missing from <paramref name="Map"/>; null when there is none.</param>
public sealed record Extractor(ExtractorKind Kind, string Source, IReadOnlyDictionary<string, JToken>? Map, JToken? Default)
{
    /// <summary>The template of a <see cref="ExtractorKind.Value"/> extractor (a string or any JSON).</summary>
    public JToken? ValueTemplate { get; init; }
}

/// <summary>A decision table: the key's value selects a case that sets several result fields.</summary>
public sealed record OutcomeTable(Extractor Key, IReadOnlyDictionary<string, JObject> Cases, JObject? Default);
