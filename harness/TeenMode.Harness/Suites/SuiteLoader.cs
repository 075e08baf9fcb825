using System.Security.Cryptography;
using System.Text;
using Newtonsoft.Json.Linq;
using TeenMode.Harness.Templating;
using TeenMode.Rules;

namespace TeenMode.Harness.Suites;

/// <summary>Loads suites: schema validation through <see cref="SeedJson"/>, then semantic checks, all located by line and column.</summary>
public static class SuiteLoader
{
    /// <summary>The suite shipped with the harness.</summary>
    public const string DefaultSuiteId = "cn-minor-mode";

    /// <summary>The schema file in <c>seeds/schemas</c>.</summary>
    public const string SchemaName = "suite.schema.json";

    /// <summary>The suite format this harness reads (the file's <c>formatVersion</c>).</summary>
    public const int FormatVersion = 2;

    /// <summary>Variables every case has: a run-unique id, the case id and the check id.</summary>
    public static IReadOnlyList<string> BuiltinVariables { get; } = ["runId", "caseId", "checkId"];

    /// <summary>The loop variable inside a step with <c>repeat</c> (1-based).</summary>
    public const string IterationVariable = "i";

    private const string EmbeddedPrefix = "TeenMode.Harness.suites.";

    /// <summary>Ids of the suites embedded in the harness.</summary>
    public static IReadOnlyList<string> EmbeddedIds { get; } = typeof(SuiteLoader).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(EmbeddedPrefix, StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal))
        .Select(n => n[EmbeddedPrefix.Length..^".json".Length])
        .Order(StringComparer.Ordinal)
        .ToList();

    /// <summary>Parses and checks a suite.</summary>
    /// <exception cref="TeenModeConfigurationException">The suite is invalid; <see cref="TeenModeConfigurationException.Errors"/> locates every problem.</exception>
    public static Suite Parse(string json, string file, RequirementCatalog? catalog = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(file);
        catalog ??= RequirementCatalog.Default;
        var root = SeedJson.Parse(json, file, SchemaName);
        var errors = new List<SeedError>();
        var checks = new List<Check>();
        var checkIds = new HashSet<string>(StringComparer.Ordinal);

        foreach (var checkToken in (JArray)root["checks"]!)
        {
            var id = (string)checkToken["id"]!;
            if (!checkIds.Add(id))
            {
                errors.Add(SeedJson.At(file, checkToken["id"], $"duplicate check id '{id}' / 检查项编号重复"));
            }

            catalog.CheckIds(file, checkToken["requirementIds"], errors);
            var parameters = ReadParameters(file, checkToken["parameters"] as JArray, errors);
            var steps = ReadSteps(file, (JArray)checkToken["steps"]!, errors);
            var fixture = checkToken["forEachFixture"] switch
            {
                JValue { Type: JTokenType.String } name => ((string)name!, (IReadOnlyList<string>?)null),
                JObject spec => ((string)spec["list"]!, ((JArray)spec["vars"]!).Select(t => (string)t!).ToList()),
                _ => ((string?)null, null),
            };
            if (fixture.Item1 is null || fixture.Item2 is not null)
            {
                // Fixture variables come from the profile; when the check lists them, the rest is checked as usual.
                CheckVariables(file, parameters, steps, errors, fixture.Item2 ?? []);
            }

            checks.Add(new Check(
                id,
                Localized(checkToken["title"]!),
                (string)checkToken["function"]!,
                (string)checkToken["severity"]!,
                ((JArray)checkToken["requirementIds"]!).Select(t => (string)t!).ToList(),
                ((JArray?)checkToken["capabilities"] ?? new JArray()).Select(t => (string)t!).ToList(),
                parameters,
                steps)
            {
                ForEachFixture = fixture.Item1,
                FixtureVars = fixture.Item2 ?? [],
            });
        }

        if (errors.Count > 0)
        {
            throw new TeenModeConfigurationException(errors.DistinctBy(e => e.ToString()).OrderBy(e => e.Line).ThenBy(e => e.Column).ToList());
        }

        return new Suite((string)root["id"]!, (string)root["version"]!, Localized(root["title"]!), checks)
        {
            Source = file,
            Sha256 = Sha256Hex(json),
            Mandatory = ScopeList(root["scope"]?["mandatory"]),
            Conditional = ScopeList(root["scope"]?["conditional"]),
        };
    }

    /// <summary>Reads and parses a suite file.</summary>
    /// <exception cref="TeenModeConfigurationException">The file cannot be read or is invalid.</exception>
    public static Suite Load(string path) => Parse(ReadFile(path), path);

    /// <summary>Parses an embedded suite by id.</summary>
    /// <exception cref="TeenModeConfigurationException">No such suite.</exception>
    public static Suite LoadEmbedded(string id = DefaultSuiteId)
    {
        ArgumentNullException.ThrowIfNull(id);
        using var stream = typeof(SuiteLoader).Assembly.GetManifestResourceStream(EmbeddedPrefix + id + ".json")
            ?? throw new TeenModeConfigurationException(
                $"未知的内置套件 / unknown built-in suite '{id}'. Known: {string.Join(", ", EmbeddedIds)}");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return Parse(reader.ReadToEnd(), $"seeds/suites/{id}.json");
    }

    /// <summary>A path to an existing file, else an embedded suite id.</summary>
    public static Suite Resolve(string fileOrId)
    {
        ArgumentNullException.ThrowIfNull(fileOrId);
        return File.Exists(fileOrId) || !EmbeddedIds.Contains(fileOrId, StringComparer.Ordinal) ? Load(fileOrId) : LoadEmbedded(fileOrId);
    }

    internal static string ReadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            return File.ReadAllText(path, Encoding.UTF8);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new TeenModeConfigurationException([new SeedError(path, 0, 0, "无法读取文件 / cannot read file: " + ex.Message)]);
        }
    }

    private static Dictionary<string, LocalizedText> ScopeList(JToken? token) =>
        (token as JObject)?.Properties().ToDictionary(p => p.Name, p => Localized(p.Value), StringComparer.Ordinal)
        ?? new Dictionary<string, LocalizedText>(StringComparer.Ordinal);

    internal static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    internal static LocalizedText Localized(JToken token) => new((string)token["zh-CN"]!, (string)token["en"]!);

    private static List<ParameterSet> ReadParameters(string file, JArray? array, List<SeedError> errors)
    {
        var sets = new List<ParameterSet>();
        if (array is null)
        {
            return sets;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var token in array)
        {
            var name = (string)token["name"]!;
            if (!names.Add(name))
            {
                errors.Add(SeedJson.At(file, token["name"], $"duplicate parameter set name '{name}' / 参数组名称重复"));
            }

            var vars = (JObject)token["vars"]!;
            foreach (var property in vars.Properties())
            {
                CheckDefinedName(file, property, property.Name, errors);
            }

            sets.Add(new ParameterSet(name, vars));
        }

        return sets;
    }

    private static List<SuiteStep> ReadSteps(string file, JArray array, List<SeedError> errors)
    {
        var steps = new List<SuiteStep>();
        var index = 0;
        foreach (var token in array)
        {
            index++;
            var action = (string)token["action"]!;
            if (!ActionVocabulary.Contains(action))
            {
                errors.Add(SeedJson.At(file, token["action"], $"unknown action '{action}' / 未知动作 (known: {string.Join(", ", ActionVocabulary.All.Keys)})"));
            }

            var save = new Dictionary<string, string>(StringComparer.Ordinal);
            if (token["save"] is JObject saveObj)
            {
                foreach (var property in saveObj.Properties())
                {
                    CheckDefinedName(file, property, property.Name, errors);
                    save[property.Name] = (string)property.Value!;
                }
            }

            steps.Add(new SuiteStep(index, action, token["args"] as JObject ?? new JObject(), token["repeat"], save, token["expect"] as JObject ?? new JObject())
            {
                Advance = token["advance"],
            });
        }

        return steps;
    }

    private static void CheckDefinedName(string file, JToken at, string name, List<SeedError> errors)
    {
        if (!Template.IsValidName(name))
        {
            errors.Add(SeedJson.At(file, at, $"'{name}' is not a valid variable name (letters, digits, _) / 变量名无效"));
        }
        else if (name == IterationVariable || BuiltinVariables.Contains(name, StringComparer.Ordinal))
        {
            errors.Add(SeedJson.At(file, at, $"'{name}' is a reserved variable name / 保留变量名"));
        }
    }

    /// <summary>Every <c>${var}</c> must be defined for every parameter set: by the set, a built-in, or an earlier step's save.</summary>
    private static void CheckVariables(string file, List<ParameterSet> parameters, List<SuiteStep> steps, List<SeedError> errors, IReadOnlyList<string> fixtureVars)
    {
        var sets = parameters.Count > 0 ? parameters : [new ParameterSet("", new JObject())];
        foreach (var set in sets)
        {
            var where = parameters.Count > 0 ? $" (parameter set '{set.Name}')" : "";
            var defined = new HashSet<string>(BuiltinVariables, StringComparer.Ordinal);
            defined.UnionWith(set.Vars.Properties().Select(p => p.Name));
            defined.UnionWith(fixtureVars);
            foreach (var step in steps)
            {
                if (step.Advance is JValue { Type: JTokenType.String } advanceRef && Template.References(advanceRef).FirstOrDefault() is { } adv && !defined.Contains(adv.Name))
                {
                    errors.Add(Undefined(file, advanceRef, adv.Name, where));
                }

                if (step.Repeat is JValue { Type: JTokenType.String } repeatRef)
                {
                    var name = Template.References(repeatRef).First().Name;
                    if (!defined.Contains(name))
                    {
                        errors.Add(Undefined(file, repeatRef, name, where));
                    }
                    else if (set.Vars[name] is { } value && (value.Type != JTokenType.Integer || (long)value < 0))
                    {
                        errors.Add(SeedJson.At(file, value, $"repeat count '{name}' must be a non-negative integer{where} / 重复次数须为非负整数"));
                    }
                }

                var inStep = step.Repeat is null ? defined : [.. defined, IterationVariable];
                foreach (var reference in Template.References(step.Args).Concat(Template.References(step.Expect)))
                {
                    if (!reference.Optional && !inStep.Contains(reference.Name))
                    {
                        errors.Add(Undefined(file, reference.Token, reference.Name, where));
                    }
                }

                defined.UnionWith(step.Save.Keys);
            }
        }
    }

    private static SeedError Undefined(string file, JToken token, string name, string where) =>
        SeedJson.At(file, token, $"undefined variable '${{{name}}}'{where}: no parameter set or earlier step's save defines it / 变量未定义");
}
