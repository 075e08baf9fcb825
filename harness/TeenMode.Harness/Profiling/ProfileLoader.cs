using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using TeenMode.Harness.Scripting;
using TeenMode.Harness.Suites;
using TeenMode.Harness.Templating;
using TeenMode.Rules;

namespace TeenMode.Harness.Profiling;

/// <summary>
/// Loads app profiles, validated against <c>app-profile.schema.json</c> and then strictly: known actions and
/// capabilities, every template variable defined, expressions that parse, and extractions that can yield
/// their field's type. Every problem is reported with file, line and column.
/// </summary>
public static class ProfileLoader
{
    /// <summary>The built-in profile for apps built on the TeenMode SDK.</summary>
    public const string DefaultProfileId = "teenmode-sdk";

    /// <summary>The schema file in <c>seeds/schemas</c>.</summary>
    public const string SchemaName = "app-profile.schema.json";

    /// <summary>Variables every action may use whatever the step passes: the key, and an id unique to the driver (one run).</summary>
    public static IReadOnlyList<string> AlwaysDefined { get; } = ["conformanceKey", "runId"];

    private const string EmbeddedPrefix = "TeenMode.Harness.profiles.";

    /// <summary>Ids of the built-in profiles.</summary>
    public static IReadOnlyList<string> BuiltinIds { get; } = typeof(ProfileLoader).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(EmbeddedPrefix, StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal))
        .Select(n => n[EmbeddedPrefix.Length..^".json".Length])
        .Order(StringComparer.Ordinal)
        .ToList();

    /// <summary>Parses and checks a profile.</summary>
    /// <param name="json">The profile text.</param>
    /// <param name="file">The file name for messages.</param>
    /// <param name="knownCapabilities">The capability names the suites in use know; null: the built-in suite's.</param>
    /// <exception cref="TeenModeConfigurationException">The profile is invalid.</exception>
    public static AppProfile Parse(string json, string file, IReadOnlySet<string>? knownCapabilities = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(file);
        var root = SeedJson.Parse(json, file, SchemaName);
        var errors = new List<SeedError>();
        var formatVersion = (int?)root["formatVersion"] ?? 1;
        var known = knownCapabilities ?? KnownCapabilities;

        var capabilities = ((JArray)root["capabilities"]!).Select(t => (string)t!).ToList();
        foreach (var token in (JArray)root["capabilities"]!)
        {
            if (!known.Contains((string)token!))
            {
                errors.Add(SeedJson.At(file, token, $"unknown capability '{(string)token!}' / 未知能力 (known: {string.Join(", ", known.Order(StringComparer.Ordinal))})"));
            }
        }

        var notOffered = new Dictionary<string, LocalizedText>(StringComparer.Ordinal);
        foreach (var declared in (root["notOffered"] as JObject)?.Properties() ?? [])
        {
            if (!known.Contains(declared.Name))
            {
                errors.Add(SeedJson.At(file, declared, $"unknown capability '{declared.Name}' declared not offered / 声明不提供的能力未知 (known: {string.Join(", ", known.Order(StringComparer.Ordinal))})"));
            }

            if (capabilities.Contains(declared.Name, StringComparer.Ordinal))
            {
                errors.Add(SeedJson.At(file, declared, $"'{declared.Name}' is both offered (capabilities) and declared not offered / 能力不能既提供又声明不提供"));
            }

            notOffered[declared.Name] = new LocalizedText((string)declared.Value["zh-CN"]!, (string)declared.Value["en"]!);
        }

        var secrets = ((JArray?)root["secrets"] ?? []).Select(t => (string)t!).ToList();
        var variables = Strings(root["variables"], StringComparer.Ordinal);
        foreach (var property in (root["variables"] as JObject)?.Properties() ?? [])
        {
            foreach (var name in Template.References((string)property.Value!))
            {
                if (!name.StartsWith("env.", StringComparison.Ordinal) && !AlwaysDefined.Contains(name, StringComparer.Ordinal))
                {
                    errors.Add(SeedJson.At(file, property.Value, $"variable '{property.Name}' may only use ${{env.NAME}} / 配置变量只能引用环境变量 (found '${{{name}}}')"));
                }
            }
        }

        var memory = Strings(root["memory"], StringComparer.Ordinal);
        var clock = root["clock"] is JObject c
            ? new ClockSpec((string?)c["model"] ?? ClockSpec.Default.Model, (string?)c["timeZone"] ?? ClockSpec.Default.TimeZone)
            : ClockSpec.Default;
        if (root["clock"]?["timeZone"] is { } zoneToken && !TimeZoneInfo.TryFindSystemTimeZoneById(clock.TimeZone, out _))
        {
            errors.Add(SeedJson.At(file, zoneToken, $"unknown time zone '{clock.TimeZone}' / 未知时区"));
        }

        var fixtures = new Dictionary<string, IReadOnlyList<JObject>>(StringComparer.Ordinal);
        foreach (var list in (root["fixtures"] as JObject)?.Properties() ?? [])
        {
            fixtures[list.Name] = ((JArray)list.Value).Cast<JObject>().ToList();
        }

        // Values any action may read: profile variables, secrets, and every remembered entry (namespace.name).
        var remembered = ((JObject)root["actions"]!).Properties()
            .SelectMany(a => (a.Value["remember"] as JObject)?.Properties().Select(p => p.Name) ?? [])
            .ToHashSet(StringComparer.Ordinal);
        var global = new HashSet<string>(AlwaysDefined.Concat(variables.Keys).Concat(secrets), StringComparer.Ordinal);

        var actions = new Dictionary<string, ActionMapping>(StringComparer.Ordinal);
        foreach (var property in ((JObject)root["actions"]!).Properties())
        {
            if (!ActionVocabulary.Contains(property.Name))
            {
                errors.Add(SeedJson.At(file, property, $"unknown action '{property.Name}' / 未知动作 (known: {string.Join(", ", ActionVocabulary.All.Keys)})"));
                continue;
            }

            var reader = new ActionReader(file, property.Name, (JObject)property.Value, errors, memory, remembered, global);
            actions[property.Name] = reader.Read();
        }

        var headerScope = new Scope(global, memory, remembered);
        foreach (var header in (root["headers"] as JObject)?.Properties() ?? [])
        {
            headerScope.CheckTemplate(file, header.Value, errors, "headers");
        }

        if (errors.Count > 0)
        {
            throw new TeenModeConfigurationException(errors.DistinctBy(e => e.ToString()).OrderBy(e => e.Line).ThenBy(e => e.Column).ToList());
        }

        return new AppProfile(
            (string)root["id"]!,
            (string)root["version"]!,
            capabilities,
            secrets,
            Strings(root["headers"]),
            actions)
        {
            Source = file,
            Sha256 = SuiteLoader.Sha256Hex(json),
            FormatVersion = formatVersion,
            NotOffered = notOffered,
            Variables = variables,
            Clock = clock,
            Memory = memory,
            Fixtures = fixtures,
        };
    }

    /// <summary>Reads and parses a profile file.</summary>
    public static AppProfile Load(string path, IReadOnlySet<string>? knownCapabilities = null) => Parse(SuiteLoader.ReadFile(path), path, knownCapabilities);

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
    public static AppProfile Resolve(string fileOrId, IReadOnlySet<string>? knownCapabilities = null)
    {
        ArgumentNullException.ThrowIfNull(fileOrId);
        return File.Exists(fileOrId) || !BuiltinIds.Contains(fileOrId, StringComparer.Ordinal) ? Load(fileOrId, knownCapabilities) : LoadBuiltin(fileOrId);
    }

    /// <summary>The capabilities the built-in suite names (in checks and in its scope).</summary>
    public static IReadOnlySet<string> KnownCapabilities => LazyKnown.Value;

    private static readonly Lazy<IReadOnlySet<string>> LazyKnown = new(() => SuiteLoader.LoadEmbedded().CapabilityNames());

    internal static Dictionary<string, string> Strings(JToken? token, StringComparer? comparer = null)
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

    /// <summary>The names a template may use at one point of an action.</summary>
    private sealed class Scope(IEnumerable<string> names, IReadOnlyDictionary<string, string> memory, IReadOnlySet<string> remembered)
    {
        private readonly HashSet<string> _names = new(names, StringComparer.Ordinal);

        public void Add(string name) => _names.Add(name);

        public bool Defines(string name)
        {
            if (_names.Contains(name))
            {
                return true;
            }

            // A remembered value is in scope when the variable that keys its namespace is.
            var dot = name.IndexOf('.', StringComparison.Ordinal);
            return dot > 0 && memory.TryGetValue(name[..dot], out var key) && _names.Contains(key) && remembered.Contains(name);
        }

        public void CheckTemplate(string file, JToken? template, List<SeedError> errors, string where)
        {
            if (template is null)
            {
                return;
            }

            foreach (var reference in Template.References(template))
            {
                if (!Defines(reference.Name))
                {
                    errors.Add(SeedJson.At(file, reference.Token, $"{where}: undefined variable '${{{reference.Name}}}' / 变量未定义 (defined here: {string.Join(", ", _names.Order(StringComparer.Ordinal))})"));
                }
            }
        }
    }

    /// <summary>Reads one action (format 1 or 2) and checks it.</summary>
    private sealed class ActionReader(string file, string action, JObject json, List<SeedError> errors,
        IReadOnlyDictionary<string, string> memory, IReadOnlySet<string> remembered, IReadOnlySet<string> global)
    {
        private readonly Scope _scope = new(global.Concat(ActionVocabulary.Args[action]), memory, remembered);

        public ActionMapping Read()
        {
            var let = Bindings(json["let"]);
            var requests = new List<RequestSpec>();
            if (json["requests"] is JArray list)
            {
                requests.AddRange(list.Cast<JObject>().Select(Request));
            }
            else if (json["method"] is not null)
            {
                requests.Add(Request(json));
            }

            if (requests.Count == 0)
            {
                errors.Add(SeedJson.At(file, json, $"action '{action}' has neither 'requests' nor 'method' and 'path' / 动作缺少请求"));
            }

            var extract = new Dictionary<string, Extractor>(StringComparer.Ordinal);
            foreach (var field in (json["extract"] as JObject)?.Properties() ?? [])
            {
                if (field.Name == "status")
                {
                    errors.Add(SeedJson.At(file, field, "'status' is reserved for the HTTP status; extract into another name / status 为 HTTP 状态码保留字段"));
                }

                extract[field.Name] = Extractor(field.Value, field.Name);
                _scope.Add(field.Name);
            }

            var outcome = json["outcome"] is JObject o ? Outcome(o) : null;
            foreach (var name in outcome?.Cases.Values.SelectMany(c => c.Properties()).Select(p => p.Name) ?? [])
            {
                _scope.Add(name);
            }

            var remember = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var entry in (json["remember"] as JObject)?.Properties() ?? [])
            {
                var dot = entry.Name.IndexOf('.', StringComparison.Ordinal);
                if (dot <= 0 || !memory.ContainsKey(entry.Name[..dot]))
                {
                    errors.Add(SeedJson.At(file, entry, $"remember '{entry.Name}': the namespace is not declared in 'memory' / 记忆的命名空间未在 memory 中声明 (declared: {string.Join(", ", memory.Keys)})"));
                }
                else if (!_scope.Defines(memory[entry.Name[..dot]]))
                {
                    errors.Add(SeedJson.At(file, entry, $"remember '{entry.Name}': '{memory[entry.Name[..dot]]}', which keys '{entry.Name[..dot]}', is not defined in action '{action}' / 记忆的键变量在此动作中未定义"));
                }

                _scope.CheckTemplate(file, entry.Value, errors, $"action '{action}' remember");
                remember[entry.Name] = (string)entry.Value!;
            }

            return new ActionMapping(action, let, requests, extract, outcome, remember);
        }

        private RequestSpec Request(JObject request)
        {
            var let = Bindings(request["let"]);
            var when = (string?)request["when"];
            if (when is not null)
            {
                CheckExpression(request["when"]!, when);
            }

            var where = $"action '{action}'";
            _scope.CheckTemplate(file, request["path"], errors, where);
            _scope.CheckTemplate(file, request["body"], errors, where);
            _scope.CheckTemplate(file, request["form"], errors, where);
            _scope.CheckTemplate(file, request["headers"], errors, where);
            var capture = new Dictionary<string, Extractor>(StringComparer.Ordinal);
            foreach (var field in (request["capture"] as JObject)?.Properties() ?? [])
            {
                capture[field.Name] = Extractor(field.Value, null);
            }

            // Captures are in scope for the requests after this one (and for the results).
            foreach (var name in capture.Keys)
            {
                _scope.Add(name);
            }

            return new RequestSpec(
                (string)request["method"]!,
                (string)request["path"]!,
                Strings(request["headers"]),
                request["body"],
                let,
                when,
                capture,
                (bool?)request["continue"] ?? false)
            {
                Form = request["form"] as JObject,
            };
        }

        private List<Binding> Bindings(JToken? token)
        {
            var bindings = new List<Binding>();
            foreach (var property in (token as JObject)?.Properties() ?? [])
            {
                CheckExpression(property.Value, (string)property.Value!);
                bindings.Add(new Binding(property.Name, (string)property.Value!));
                _scope.Add(property.Name);
            }

            return bindings;
        }

        private void CheckExpression(JToken token, string expression)
        {
            if (ScriptSandbox.SyntaxError(expression) is { } message)
            {
                errors.Add(SeedJson.At(file, token, $"action '{action}': expression does not parse: {message} / 表达式语法错误"));
            }
        }

        private Extractor Extractor(JToken token, string? field)
        {
            Extractor extractor;
            if (token.Type == JTokenType.String)
            {
                extractor = new Extractor(ExtractorKind.Path, (string)token!, null, null);
            }
            else
            {
                var obj = (JObject)token;
                var (kind, source) = obj switch
                {
                    _ when obj["path"] is { } p => (ExtractorKind.Path, (string)p!),
                    _ when obj["status"] is not null => (ExtractorKind.Status, "status"),
                    _ when obj["header"] is { } h => (ExtractorKind.Header, (string)h!),
                    _ when obj["cookie"] is { } c => (ExtractorKind.Cookie, (string)c!),
                    _ when obj["expr"] is { } e => (ExtractorKind.Expression, (string)e!),
                    _ => (ExtractorKind.Value, ""),
                };
                var map = obj["map"] is JObject m ? m.Properties().ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal) : null;
                extractor = new Extractor(kind, source, map, obj["default"]) { ValueTemplate = obj["value"] };
                if (kind == ExtractorKind.Value)
                {
                    _scope.CheckTemplate(file, obj["value"], errors, $"action '{action}'");
                }
                else if (kind == ExtractorKind.Expression)
                {
                    CheckExpression(obj["expr"]!, source);
                }
            }

            if (extractor.Kind == ExtractorKind.Path)
            {
                try
                {
                    _ = new JObject().SelectTokens(extractor.Source).FirstOrDefault();
                }
                catch (JsonException ex)
                {
                    errors.Add(SeedJson.At(file, token, $"invalid JSONPath '{extractor.Source}': {ex.Message} / JSONPath 无效"));
                }
            }

            if (field is not null && ActionVocabulary.ResultTypes.TryGetValue(field, out var type))
            {
                CheckType(token, field, type, extractor);
            }

            return extractor;
        }

        // A field whose extraction can only ever give the wrong JSON type would make every check on it an error.
        private void CheckType(JToken token, string field, string type, Extractor extractor)
        {
            if (extractor.Map is { } map)
            {
                foreach (var (appValue, value) in map)
                {
                    RequireType(((JObject)token)["map"]![appValue]!, field, type, value, $"map value for '{appValue}'");
                }

                if (extractor.Default is { } d)
                {
                    RequireType(d, field, type, d, "default");
                }

                return;
            }

            var natural = extractor.Kind switch
            {
                ExtractorKind.Status => "integer",
                ExtractorKind.Header or ExtractorKind.Cookie => "string",
                ExtractorKind.Value when extractor.ValueTemplate is { } v && !Template.References(v).Any() => TypeOf(v),
                _ => null,
            };
            if (natural is not null && natural != type)
            {
                errors.Add(SeedJson.At(file, token, $"extract '{field}': this extraction yields {natural}, but '{field}' is {type}; add a 'map' / 提取结果类型与字段类型不符"));
            }
        }

        private void RequireType(JToken at, string field, string type, JToken value, string what)
        {
            if (value.Type != JTokenType.Null && TypeOf(value) != type)
            {
                errors.Add(SeedJson.At(file, at, $"'{field}' is {type}, but the {what} is {TypeOf(value)} ({value.ToString(Formatting.None)}) / 映射值类型与字段类型不符"));
            }
        }

        private OutcomeTable Outcome(JObject outcome)
        {
            var key = Extractor(outcome["key"]!, null);
            var cases = new Dictionary<string, JObject>(StringComparer.Ordinal);
            foreach (var c in ((JObject)outcome["cases"]!).Properties())
            {
                var fields = (JObject)c.Value;
                CheckCaseFields(fields);
                cases[c.Name] = fields;
            }

            var fallback = outcome["default"] as JObject;
            if (fallback is not null)
            {
                CheckCaseFields(fallback);
            }

            return new OutcomeTable(key, cases, fallback);
        }

        private void CheckCaseFields(JObject fields)
        {
            foreach (var p in fields.Properties())
            {
                if (ActionVocabulary.ResultTypes.TryGetValue(p.Name, out var type))
                {
                    RequireType(p.Value, p.Name, type, p.Value, "outcome value");
                }
            }
        }

        private static string TypeOf(JToken value) => value.Type switch
        {
            JTokenType.Boolean => "boolean",
            JTokenType.Integer => "integer",
            JTokenType.String => "string",
            JTokenType.Float => "number",
            JTokenType.Array => "array",
            JTokenType.Object => "object",
            _ => "null",
        };
    }
}
