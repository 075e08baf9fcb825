using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using TeenMode.Harness.Suites;
using TeenMode.Harness.Templating;
using TeenMode.Rules;

namespace TeenMode.Harness.Profiling;

/// <summary>Maps the driver-neutral actions onto one app's HTTP API.</summary>
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

    /// <summary>Capabilities the app declares it does not offer, with its statement (checks needing them are not-applicable).</summary>
    public IReadOnlyDictionary<string, LocalizedText> NotOffered { get; init; } = new Dictionary<string, LocalizedText>(StringComparer.Ordinal);

    /// <summary>
    /// Every variable named in a header template, profile-wide or per action (e.g. <c>conformanceKey</c>,
    /// which a profile may send only on its conformance actions); per-action ones may also be action args.
    /// </summary>
    public IReadOnlyCollection<string> HeaderVariables =>
        Headers.Values.Concat(Actions.Values.SelectMany(a => a.Headers.Values))
            .SelectMany(Template.References).Distinct(StringComparer.Ordinal).ToList();
}

/// <summary>How one action becomes an HTTP request, and which response fields the harness reads.</summary>
/// <param name="Extract">Result field → JSONPath into the response body (Newtonsoft <c>SelectToken</c>); a missing path gives null.</param>
public sealed record ActionMapping(
    string Name,
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> Headers,
    JToken? Body,
    IReadOnlyDictionary<string, string> Extract);

/// <summary>Loads app profiles, validated against <c>app-profile.schema.json</c> and the action vocabulary.</summary>
public static class ProfileLoader
{
    /// <summary>The built-in profile for apps built on the TeenMode SDK.</summary>
    public const string DefaultProfileId = "teenmode-sdk";

    /// <summary>The schema file in <c>seeds/schemas</c>.</summary>
    public const string SchemaName = "app-profile.schema.json";

    private const string EmbeddedPrefix = "TeenMode.Harness.profiles.";

    /// <summary>Ids of the built-in profiles.</summary>
    public static IReadOnlyList<string> BuiltinIds { get; } = typeof(ProfileLoader).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(EmbeddedPrefix, StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal))
        .Select(n => n[EmbeddedPrefix.Length..^".json".Length])
        .Order(StringComparer.Ordinal)
        .ToList();

    /// <summary>Parses and checks a profile.</summary>
    /// <exception cref="TeenModeConfigurationException">The profile is invalid.</exception>
    public static AppProfile Parse(string json, string file)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(file);
        var root = SeedJson.Parse(json, file, SchemaName);
        var errors = new List<SeedError>();
        var actions = new Dictionary<string, ActionMapping>(StringComparer.Ordinal);
        foreach (var property in ((JObject)root["actions"]!).Properties())
        {
            if (!ActionVocabulary.Contains(property.Name))
            {
                errors.Add(SeedJson.At(file, property, $"unknown action '{property.Name}' / 未知动作 (known: {string.Join(", ", ActionVocabulary.All.Keys)})"));
            }

            var action = (JObject)property.Value;
            var extract = Strings(action["extract"], StringComparer.Ordinal);
            if (action["extract"] is JObject extractObj)
            {
                foreach (var path in extractObj.Properties())
                {
                    if (path.Name == "status")
                    {
                        errors.Add(SeedJson.At(file, path, "'status' is reserved for the HTTP status; extract into another name / status 为 HTTP 状态码保留字段"));
                    }

                    try
                    {
                        _ = new JObject().SelectTokens((string)path.Value!).FirstOrDefault();
                    }
                    catch (JsonException ex)
                    {
                        errors.Add(SeedJson.At(file, path.Value, $"invalid JSONPath '{(string)path.Value!}': {ex.Message} / JSONPath 无效"));
                    }
                }
            }

            actions[property.Name] = new ActionMapping(
                property.Name,
                (string)action["method"]!,
                (string)action["path"]!,
                Strings(action["headers"]),
                action["body"],
                extract);
        }

        var notOffered = new Dictionary<string, LocalizedText>(StringComparer.Ordinal);
        foreach (var declared in (root["notOffered"] as JObject)?.Properties() ?? [])
        {
            if (((JArray)root["capabilities"]!).Any(c => (string?)c == declared.Name))
            {
                errors.Add(SeedJson.At(file, declared, $"'{declared.Name}' is both offered (capabilities) and declared not offered / 能力不能既提供又声明不提供"));
            }

            notOffered[declared.Name] = new LocalizedText((string)declared.Value["zh-CN"]!, (string)declared.Value["en"]!);
        }

        if (errors.Count > 0)
        {
            throw new TeenModeConfigurationException(errors.OrderBy(e => e.Line).ThenBy(e => e.Column).ToList());
        }

        return new AppProfile(
            (string)root["id"]!,
            (string)root["version"]!,
            ((JArray)root["capabilities"]!).Select(t => (string)t!).ToList(),
            ((JArray?)root["secrets"] ?? new JArray()).Select(t => (string)t!).ToList(),
            Strings(root["headers"]),
            actions)
        {
            Source = file,
            Sha256 = SuiteLoader.Sha256Hex(json),
            NotOffered = notOffered,
        };
    }

    /// <summary>Reads and parses a profile file.</summary>
    public static AppProfile Load(string path) => Parse(SuiteLoader.ReadFile(path), path);

    /// <summary>Parses a built-in profile by id.</summary>
    /// <exception cref="TeenModeConfigurationException">No such profile.</exception>
    public static AppProfile LoadBuiltin(string id = DefaultProfileId)
    {
        ArgumentNullException.ThrowIfNull(id);
        using var stream = typeof(ProfileLoader).Assembly.GetManifestResourceStream(EmbeddedPrefix + id + ".json")
            ?? throw new TeenModeConfigurationException(
                $"未知的内置应用配置 / unknown built-in profile '{id}'. Known: {string.Join(", ", BuiltinIds)}");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return Parse(reader.ReadToEnd(), $"harness/TeenMode.Harness/Profiles/{id}.json");
    }

    /// <summary>A path to an existing file, else a built-in profile id.</summary>
    public static AppProfile Resolve(string fileOrId)
    {
        ArgumentNullException.ThrowIfNull(fileOrId);
        return File.Exists(fileOrId) || !BuiltinIds.Contains(fileOrId, StringComparer.Ordinal) ? Load(fileOrId) : LoadBuiltin(fileOrId);
    }

    private static Dictionary<string, string> Strings(JToken? token, StringComparer? comparer = null)
    {
        // Header names are case-insensitive; other keys are not.
        var map = new Dictionary<string, string>(comparer ?? StringComparer.OrdinalIgnoreCase);
        if (token is JObject obj)
        {
            foreach (var property in obj.Properties())
            {
                map[property.Name] = (string)property.Value!;
            }
        }

        return map;
    }
}
