using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using TeenMode.Harness.Profiling;
using TeenMode.Harness.Running;
using TeenMode.Harness.Scripting;
using TeenMode.Harness.Suites;
using TeenMode.Harness.Templating;

namespace TeenMode.Harness.Drivers;

/// <summary>Options for <see cref="HttpDriver"/>.</summary>
public sealed class HttpDriverOptions
{
    /// <summary>Time allowed for one attempt of one request.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Retries after a transport failure or timeout (never after a response, whatever its status).</summary>
    public int TransportRetries { get; set; } = 2;

    /// <summary>First retry delay; it doubles each time.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The clock for durations, timeouts and retry delays.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Response bodies above this many characters are cut in evidence.</summary>
    public int MaxEvidenceChars { get; set; } = 64 * 1024;
}

/// <summary>
/// Drives an app over HTTP through an <see cref="AppProfile"/>. Transport failures are retried and then
/// reported as errors; a response of any status is a result, never retried.
/// </summary>
public sealed class HttpDriver : IDriver
{
    private const int MaxBodyChars = 4 * 1024 * 1024;

    private readonly HttpClient _client;
    private readonly Uri _baseAddress;
    private readonly AppProfile _profile;
    private readonly Dictionary<string, JToken> _variables;
    private readonly HttpDriverOptions _options;
    private readonly ResiliencePipeline _pipeline;
    private readonly ResiliencePipeline _connectOnlyPipeline;
    private readonly TimeLibrary _time;
    private readonly ScriptSandbox _sandbox;
    private readonly ConcurrentDictionary<(string Namespace, string Key), ConcurrentDictionary<string, JToken>> _memory = new();

    /// <summary>Creates the driver.</summary>
    /// <param name="client">The client; its own timeout is not used (each attempt has <see cref="HttpDriverOptions.RequestTimeout"/>).</param>
    /// <param name="baseAddress">The app's base URL; profile paths are appended to it.</param>
    /// <param name="profile">The app profile.</param>
    /// <param name="variables">Profile-level variables such as <c>conformanceKey</c>.</param>
    /// <param name="options">Timeouts and retries.</param>
    public HttpDriver(HttpClient client, Uri baseAddress, AppProfile profile, IReadOnlyDictionary<string, string>? variables = null, HttpDriverOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(baseAddress);
        ArgumentNullException.ThrowIfNull(profile);
        _client = client;
        _baseAddress = baseAddress;
        _profile = profile;
        _options = options ?? new HttpDriverOptions();
        _variables = new Dictionary<string, JToken>(StringComparer.Ordinal);
        var given = variables ?? new Dictionary<string, string>();
        foreach (var (name, template) in profile.Variables)
        {
            // Only the environment names a profile lists are read; a value given on the command line wins.
            var env = Template.References(template).Where(r => r.StartsWith("env.", StringComparison.Ordinal))
                .ToDictionary(r => r, r => (JToken)(Environment.GetEnvironmentVariable(r[4..]) ?? ""), StringComparer.Ordinal);
            _variables[name] = Template.ExpandString(template, env);
        }

        foreach (var (name, value) in given)
        {
            _variables[name] = value;
        }

        // Unique per driver, so synthetic accounts (handles, e-mail addresses) of two runs never collide.
        _variables.TryAdd("runId", Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6)));

        _time = new TimeLibrary(TimeZoneInfo.FindSystemTimeZoneById(profile.Clock.TimeZone), () => Clock!.Now);
        Clock = new AppClock(profile.Clock.Running, _options.TimeProvider);
        _sandbox = new ScriptSandbox(_time);

        var secrets = profile.Secrets.Append("conformanceKey")
            .Select(name => _variables.TryGetValue(name, out var v) && v.Type == JTokenType.String ? (string?)v : null)
            .OfType<string>();
        var secretHeaders = profile.Headers.Concat(profile.Actions.Values.SelectMany(a => a.Requests).SelectMany(r => r.Headers))
            .Where(h => Template.References(h.Value).Any(r => profile.Secrets.Contains(r, StringComparer.Ordinal) || r == "conformanceKey"))
            .Select(h => h.Key);
        Redactor = new Redactor(secrets, secretHeaders);

        _pipeline = BuildPipeline(new PredicateBuilder().Handle<HttpRequestException>().Handle<TimeoutRejectedException>().Handle<SocketException>().Handle<IOException>());

        // A POST that timed out may have been applied; retrying it would double-count (a heartbeat, a purchase) and
        // turn a slow app into a false failure. So non-idempotent requests retry only when no connection was made.
        _connectOnlyPipeline = BuildPipeline(new PredicateBuilder().Handle<HttpRequestException>(
            e => e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError));
    }

    private ResiliencePipeline BuildPipeline(PredicateBuilder<object> shouldHandle)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = _options.TimeProvider };
        if (_options.TransportRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = shouldHandle,
                MaxRetryAttempts = _options.TransportRetries,
                Delay = _options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = false,
            });
        }

        return builder.AddTimeout(_options.RequestTimeout).Build();
    }

    private ResiliencePipeline PipelineFor(string method) =>
        method.ToUpperInvariant() is "GET" or "HEAD" or "PUT" or "DELETE" or "OPTIONS" ? _pipeline : _connectOnlyPipeline;

    /// <summary>The redactor used for evidence (knows the secret values).</summary>
    public Redactor Redactor { get; }

    /// <inheritdoc />
    public IReadOnlyCollection<string> Capabilities => _profile.Capabilities;

    /// <inheritdoc />
    public bool Supports(string action) => _profile.Actions.ContainsKey(action);

    /// <summary>The app's clock as the harness models it (what <c>tm.now()</c> gives).</summary>
    public AppClock Clock { get; }

    /// <inheritdoc />
    public async Task<DriverResult> ExecuteAsync(string action, JObject args, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (!_profile.Actions.TryGetValue(action, out var mapping))
        {
            return Failure(new Exchange("?", action, Empty, null, null, Empty, null, 0, 0),
                new DriverError("template", $"应用配置未映射该动作 / the profile does not map action '{action}'"));
        }

        // Step args first; profile variables (such as the key) fill what args do not give; then what was remembered.
        var scope = new Dictionary<string, JToken>(_variables, StringComparer.Ordinal);
        foreach (var property in args.Properties())
        {
            scope[property.Name] = property.Value;
        }

        var secretValues = new List<string>();
        Recall(scope, secretValues);

        // The app may name a PIN field anything ("parentPin"), so credentials are also masked by the step arg they came from.
        var redactor = Redactor.WithValues(args.Properties()
            .Where(p => Redactor.IsSensitiveField(p.Name) && p.Value.Type is JTokenType.String or JTokenType.Integer)
            .Select(p => Template.AsText(p.Value)).Concat(secretValues));

        var exchanges = new List<Exchange>();
        Answer? last = null;
        try
        {
            Bind(mapping.Let, scope);
            foreach (var request in mapping.Requests)
            {
                Bind(request.Let, scope);
                if (request.When is { } when && !Truthy(_sandbox.Evaluate(when, scope)))
                {
                    continue;
                }

                var (answer, error) = await SendAsync(action, request, scope, redactor, cancellationToken).ConfigureAwait(false);
                exchanges.Add(answer.Exchange);
                if (error is not null)
                {
                    return new DriverResult(new JObject { ["status"] = answer.Exchange.Status }, answer.Exchange, error) { Exchanges = exchanges };
                }

                last = answer;
                foreach (var (name, extractor) in request.Capture)
                {
                    var value = Read(extractor, answer, scope, name);
                    scope[name] = value;
                    if (IsSecret(name, extractor) && value.Type == JTokenType.String)
                    {
                        redactor = redactor.WithValues([(string)value!]);
                    }
                }

                if (answer.Status is < 200 or > 299 && !request.Continue)
                {
                    break; // a refusal or failure ends the sequence; the result is read from it
                }
            }

            if (last is null)
            {
                return Failure(new Exchange(mapping.Method, mapping.Path, Empty, null, null, Empty, null, 0, 0),
                    new DriverError("template", $"action '{action}': every request was skipped by its 'when' / 所有请求均被 when 条件跳过"));
            }

            var fields = new JObject { ["status"] = last.Status };
            foreach (var (field, extractor) in mapping.Extract)
            {
                fields[field] = Read(extractor, last, scope, field);
            }

            if (mapping.Outcome is { } table)
            {
                var key = KeyText(Read(table.Key, last, scope, "outcome key"));
                var chosen = table.Cases.TryGetValue(key, out var c) ? c : table.Default
                    ?? throw new UnmappedException($"action '{action}': the app's answer '{key}' is not in the outcome table (HTTP {last.Status}) / 应用的应答值未在结果映射表中");
                foreach (var property in chosen.Properties())
                {
                    fields[property.Name] = property.Value.DeepClone();
                }
            }

            if (_profile.StatusByClass && TypeError(fields) is { } typeError)
            {
                return new DriverResult(fields, last.Exchange, new DriverError("type", $"action '{action}': {typeError}")) { Exchanges = exchanges };
            }

            if (last.Status is >= 200 and <= 299)
            {
                foreach (var property in fields.Properties())
                {
                    scope.TryAdd(property.Name, property.Value);
                }

                Remember(mapping, scope);
                UpdateClock(action, args);
            }

            return new DriverResult(fields, last.Exchange, last.Error) { Exchanges = exchanges };
        }
        catch (Exception ex) when (ex is TemplateException or ScriptException or UnmappedException or NonJsonException)
        {
            var kind = ex switch { UnmappedException => "unmapped", NonJsonException => "non-json", _ => "template" };
            var exchange = last?.Exchange ?? new Exchange(mapping.Method, mapping.Path, Empty, null, null, Empty, null, 0, 0);
            var message = ex is TemplateException or ScriptException ? $"action '{action}': {ex.Message}" : ex.Message;
            return new DriverResult(new JObject { ["status"] = last?.Status }, exchange, new DriverError(kind, redactor.Text(message))) { Exchanges = exchanges };
        }
    }

    private void Bind(IReadOnlyList<Binding> bindings, Dictionary<string, JToken> scope)
    {
        foreach (var binding in bindings)
        {
            // undefined leaves the name undefined, so "${name?}" drops the value it would fill.
            var value = _sandbox.Evaluate(binding.Expression, scope);
            if (value.Type == JTokenType.Undefined)
            {
                scope.Remove(binding.Name);
            }
            else
            {
                scope[binding.Name] = value;
            }
        }
    }

    private static bool Truthy(JToken value) => value.Type switch
    {
        JTokenType.Boolean => (bool)value,
        JTokenType.Null or JTokenType.Undefined => false,
        JTokenType.Integer => (long)value != 0,
        JTokenType.String => ((string)value!).Length > 0,
        _ => true,
    };

    // Memory of every namespace whose key is in scope, as "namespace.name".
    private void Recall(Dictionary<string, JToken> scope, List<string> secretValues)
    {
        foreach (var (ns, keyVariable) in _profile.Memory)
        {
            if (!scope.TryGetValue(keyVariable, out var key) || key.Type is JTokenType.Null or JTokenType.Object or JTokenType.Array
                || !_memory.TryGetValue((ns, Template.AsText(key)), out var entries))
            {
                continue;
            }

            foreach (var (name, value) in entries)
            {
                scope[ns + "." + name] = value.DeepClone();
                if (value.Type == JTokenType.String && IsSecret(ns + "." + name, null))
                {
                    secretValues.Add((string)value!);
                }
            }
        }
    }

    private void Remember(ActionMapping mapping, Dictionary<string, JToken> scope)
    {
        foreach (var (entry, template) in mapping.Remember)
        {
            var dot = entry.IndexOf('.', StringComparison.Ordinal);
            var ns = entry[..dot];
            if (!scope.TryGetValue(_profile.Memory[ns], out var key) || key.Type == JTokenType.Null)
            {
                continue;
            }

            var value = Template.Expand(new JValue(template), scope) ?? JValue.CreateNull();
            _memory.GetOrAdd((ns, Template.AsText(key)), _ => new ConcurrentDictionary<string, JToken>(StringComparer.Ordinal))[entry[(dot + 1)..]] = value;
        }
    }

    private void UpdateClock(string action, JObject args)
    {
        if (action == "setClock" && (args["local"] ?? args["instant"]) is JValue { Type: JTokenType.String } at)
        {
            Clock.Set(_time.Parse((string)at!));
        }
        else if (action == "advanceClock" && args["seconds"] is JValue { Type: JTokenType.Integer or JTokenType.Float } seconds)
        {
            Clock.Advance(TimeSpan.FromSeconds((double)seconds));
        }
    }

    private bool IsSecret(string name, Extractor? extractor)
    {
        if (extractor?.Kind == ExtractorKind.Cookie || _profile.Secrets.Contains(name, StringComparer.Ordinal))
        {
            return true;
        }

        var leaf = name[(name.LastIndexOf('.') + 1)..];
        return Redactor.IsSensitiveField(leaf) || SecretWords.Any(w => leaf.Contains(w, StringComparison.OrdinalIgnoreCase));
    }

    private static readonly string[] SecretWords = ["token", "session", "cookie", "secret", "password", "pin", "key"];

    private JToken Read(Extractor extractor, Answer answer, Dictionary<string, JToken> scope, string field)
    {
        var value = extractor.Kind switch
        {
            ExtractorKind.Path => answer.NonJson is { } why ? throw new NonJsonException(why) : Select(answer.Body, extractor.Source),
            ExtractorKind.Status => answer.Status,
            ExtractorKind.Header => answer.Headers.TryGetValue(extractor.Source, out var h) ? new JValue(h) : JValue.CreateNull(),
            ExtractorKind.Cookie => answer.Cookies.TryGetValue(extractor.Source, out var c) ? new JValue(c) : JValue.CreateNull(),
            ExtractorKind.Value => Template.Expand(extractor.ValueTemplate ?? JValue.CreateNull(), scope) ?? JValue.CreateNull(),
            _ => _sandbox.Evaluate(extractor.Source, new Dictionary<string, JToken>(scope, StringComparer.Ordinal)
            {
                ["body"] = answer.Body ?? JValue.CreateNull(),
                ["text"] = answer.Text,
                ["status"] = answer.Status,
                ["headers"] = JObject.FromObject(answer.Headers.ToDictionary(k => k.Key.ToLowerInvariant(), k => k.Value)),
            }),
        };
        if (value.Type == JTokenType.Undefined)
        {
            value = JValue.CreateNull();
        }

        if (extractor.Map is not { } map)
        {
            return value;
        }

        var text = KeyText(value);
        return map.TryGetValue(text, out var mapped) ? mapped.DeepClone()
            : extractor.Default is { } d ? d.DeepClone()
            : throw new UnmappedException($"'{field}': the app's value '{text}' has no entry in the profile's map (HTTP {answer.Status}) / 应用的值未在映射表中");
    }

    private static string KeyText(JToken value) => value.Type switch
    {
        JTokenType.String => (string)value!,
        JTokenType.Null or JTokenType.Undefined => "null",
        _ => value.ToString(Formatting.None),
    };

    // Format 2: a field of the wrong JSON type is a mapping mistake, not the app's failure.
    private static string? TypeError(JObject fields)
    {
        foreach (var property in fields.Properties())
        {
            if (property.Value.Type == JTokenType.Null || !ActionVocabulary.ResultTypes.TryGetValue(property.Name, out var type))
            {
                continue;
            }

            var ok = type switch
            {
                "boolean" => property.Value.Type == JTokenType.Boolean,
                "integer" => property.Value.Type == JTokenType.Integer,
                "string" => property.Value.Type == JTokenType.String,
                _ => true,
            };
            if (!ok)
            {
                return $"result field '{property.Name}' should be {type} but the profile's extraction gave {property.Value.ToString(Formatting.None)} / 结果字段类型不符";
            }
        }

        return null;
    }

    private async Task<(Answer Answer, DriverError? Error)> SendAsync(string action, RequestSpec spec, Dictionary<string, JToken> scope, Redactor redactor, CancellationToken cancellationToken)
    {
        var path = ExpandPath(spec.Path, scope);
        var body = spec.Body is null ? null : Template.Expand(spec.Body, scope);
        var form = spec.Form is null ? null : Template.Expand(spec.Form, scope) as JObject;
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var (name, value) in _profile.Headers.Concat(spec.Headers))
        {
            // "Bearer ${subject.token?}" with no token sends no header at all, rather than an empty credential.
            if (Template.References(new JValue(value)).Any(r => r.Optional && !scope.ContainsKey(r.Name)))
            {
                continue;
            }

            var expanded = Template.ExpandString(value, scope);
            if (expanded.Length > 0)
            {
                headers.Add(new(name, expanded));
            }
        }

        var requestText = body?.ToString(Formatting.None);
        var evidenceHeaders = headers.ToDictionary(h => h.Key, h => redactor.Header(h.Key, h.Value), StringComparer.OrdinalIgnoreCase);
        var evidencePath = redactor.Text(path);
        var evidenceBody = redactor.Json(body ?? form);
        var uri = new Uri(_baseAddress.AbsoluteUri.TrimEnd('/') + path);
        var started = _options.TimeProvider.GetTimestamp();
        var attempts = 0;

        HttpStatusCode status;
        string responseText;
        Dictionary<string, string> responseHeaders;
        Dictionary<string, string> rawHeaders;
        Dictionary<string, string> cookies;
        string? mediaType;
        try
        {
            (status, responseText, responseHeaders, rawHeaders, cookies, mediaType) = await PipelineFor(spec.Method).ExecuteAsync(async ct =>
            {
                attempts++;
                using var request = new HttpRequestMessage(new HttpMethod(spec.Method), uri);
                foreach (var (name, value) in headers)
                {
                    request.Headers.TryAddWithoutValidation(name, value);
                }

                if (form is not null)
                {
                    request.Content = new FormUrlEncodedContent(form.Properties().Select(p => new KeyValuePair<string, string>(p.Name, Template.AsText(p.Value))));
                }
                else if (requestText is not null)
                {
                    request.Content = new StringContent(requestText, Encoding.UTF8, "application/json");
                }

                using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
                var text = await ReadBodyAsync(response, ct);
                var all = response.Headers.Concat(response.Content.Headers).ToList();
                var raw = all.ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
                var recorded = raw.ToDictionary(h => h.Key, h => redactor.Header(h.Key, h.Value), StringComparer.OrdinalIgnoreCase);
                var jar = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var setCookie in all.Where(h => h.Key.Equals("Set-Cookie", StringComparison.OrdinalIgnoreCase)).SelectMany(h => h.Value))
                {
                    var pair = setCookie.Split(';', 2)[0];
                    var eq = pair.IndexOf('=', StringComparison.Ordinal);
                    if (eq > 0)
                    {
                        jar[pair[..eq].Trim()] = pair[(eq + 1)..].Trim();
                    }
                }

                return (response.StatusCode, text, recorded, raw, jar, response.Content.Headers.ContentType?.MediaType);
            }, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException or SocketException or IOException
                                       || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var kind = ex is TimeoutRejectedException or OperationCanceledException ? "timeout" : "transport";
            var message = kind == "timeout"
                ? $"请求超时 / request timed out after {attempts} attempt(s) of {_options.RequestTimeout.TotalSeconds:0.#} s: {spec.Method} {evidencePath}"
                : $"传输错误 / transport error after {attempts} attempt(s): {spec.Method} {evidencePath}: {Describe(ex)}";
            var failed = new Exchange(spec.Method, evidencePath, evidenceHeaders, evidenceBody, null, Empty, null, Elapsed(started), attempts);
            return (new Answer(failed, null, null, Empty, Empty, null), new DriverError(kind, redactor.Text(message)));
        }

        JToken? parsed = null;
        DriverError? error = null;
        string? nonJson = null;
        if (!string.IsNullOrWhiteSpace(responseText))
        {
            try
            {
                using var reader = new JsonTextReader(new StringReader(responseText)) { DateParseHandling = DateParseHandling.None, MaxDepth = 64 };
                parsed = JToken.ReadFrom(reader);
            }
            catch (JsonReaderException) when (_profile.FormatVersion < 2)
            {
                error = new DriverError("non-json", $"应答不是 JSON / unexpected non-JSON response to '{action}' (status {(int)status}, content type {mediaType ?? "none"})");
            }
            catch (JsonReaderException)
            {
                // Format 2: a plain-text answer is fine until a JSONPath has to read it.
                nonJson = $"应答不是 JSON / the answer to '{action}' is not JSON (status {(int)status}, content type {mediaType ?? "none"}), so a JSONPath cannot read it";
            }
        }

        JToken? evidenceResponse = parsed is not null ? redactor.Json(parsed) : responseText.Length == 0 ? null : Cut(redactor.Text(responseText));
        var exchange = new Exchange(spec.Method, evidencePath, evidenceHeaders, evidenceBody, (int)status, responseHeaders, evidenceResponse, Elapsed(started), attempts);
        return (new Answer(exchange, (int)status, parsed, rawHeaders, cookies, error) { Text = responseText, NonJson = nonJson }, null);
    }

    // Query parameters whose value is an undefined optional variable are left out, not sent empty.
    private static string ExpandPath(string template, Dictionary<string, JToken> scope)
    {
        var q = QueryStart(template);
        if (q < 0)
        {
            return Template.ExpandString(template, scope, Uri.EscapeDataString);
        }

        var kept = template[(q + 1)..].Split('&')
            .Where(part => !Template.References(new JValue(part)).Any(r => r.Optional && !scope.ContainsKey(r.Name)))
            .Select(part => Template.ExpandString(part, scope, Uri.EscapeDataString))
            .ToList();
        var path = Template.ExpandString(template[..q], scope, Uri.EscapeDataString);
        return kept.Count == 0 ? path : path + "?" + string.Join('&', kept);
    }

    // The first '?' outside a "${…}" reference: "${x?}" marks an optional variable, not a query.
    private static int QueryStart(string template)
    {
        var depth = 0;
        for (var i = 0; i < template.Length; i++)
        {
            if (template[i] == '$' && i + 1 < template.Length && template[i + 1] == '{')
            {
                depth++;
                i++;
            }
            else if (template[i] == '}' && depth > 0)
            {
                depth--;
            }
            else if (template[i] == '?' && depth == 0)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>One answer, raw (for extraction) and as evidence (redacted).</summary>
    private sealed record Answer(Exchange Exchange, int? Status, JToken? Body, IReadOnlyDictionary<string, string> Headers, IReadOnlyDictionary<string, string> Cookies, DriverError? Error)
    {
        /// <summary>The body as text (for expressions).</summary>
        public string Text { get; init; } = "";

        /// <summary>Why a JSONPath cannot read this body, when it is not JSON.</summary>
        public string? NonJson { get; init; }
    }

    private sealed class UnmappedException(string message) : Exception(message);

    private sealed class NonJsonException(string message) : Exception(message);

    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();

    private static DriverResult Failure(Exchange exchange, DriverError error) => new(new JObject { ["status"] = null }, exchange, error) { Exchanges = [exchange] };

    private static JToken Select(JToken? body, string jsonPath)
    {
        if (body is null)
        {
            return JValue.CreateNull();
        }

        try
        {
            return body.SelectTokens(jsonPath).FirstOrDefault()?.DeepClone() ?? JValue.CreateNull();
        }
        catch (JsonException)
        {
            return JValue.CreateNull();
        }
    }

    private static async Task<string> ReadBodyAsync(HttpResponseMessage response, CancellationToken ct)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var buffer = new char[8192];
        var text = new StringBuilder();
        int read;
        while ((read = await reader.ReadAsync(buffer, ct)) > 0)
        {
            // A runaway body is not evidence; stop reading rather than exhaust memory.
            if (text.Length + read > MaxBodyChars)
            {
                throw new HttpRequestException($"response body larger than {MaxBodyChars} characters");
            }

            text.Append(buffer, 0, read);
        }

        return text.ToString();
    }

    private JValue Cut(string text) =>
        new(text.Length <= _options.MaxEvidenceChars ? text : text[.._options.MaxEvidenceChars] + "…[truncated]");

    private long Elapsed(long started) => (long)_options.TimeProvider.GetElapsedTime(started).TotalMilliseconds;

    private static string Describe(Exception ex)
    {
        var messages = new List<string>();
        for (var e = ex; e is not null; e = e.InnerException)
        {
            messages.Add(e.Message);
        }

        return string.Join(" → ", messages.Distinct(StringComparer.Ordinal));
    }
}
