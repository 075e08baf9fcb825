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
        foreach (var (name, value) in variables ?? new Dictionary<string, string>())
        {
            _variables[name] = value;
        }

        var secrets = profile.Secrets.Append("conformanceKey")
            .Select(name => variables is not null && variables.TryGetValue(name, out var v) ? v : null)
            .OfType<string>();
        var secretHeaders = profile.Headers.Concat(profile.Actions.Values.SelectMany(a => a.Headers))
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

    /// <inheritdoc />
    public async Task<DriverResult> ExecuteAsync(string action, JObject args, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (!_profile.Actions.TryGetValue(action, out var mapping))
        {
            return Failure(new Exchange("?", action, Empty, null, null, Empty, null, 0, 0),
                new DriverError("template", $"应用配置未映射该动作 / the profile does not map action '{action}'"));
        }

        // Step args first; profile variables (such as the key) fill what args do not give.
        var scope = new Dictionary<string, JToken>(_variables, StringComparer.Ordinal);
        foreach (var property in args.Properties())
        {
            scope[property.Name] = property.Value;
        }

        string path;
        JToken? body;
        var headers = new List<KeyValuePair<string, string>>();
        try
        {
            path = Template.ExpandString(mapping.Path, scope, Uri.EscapeDataString);
            body = mapping.Body is null ? null : Template.Expand(mapping.Body, scope);
            foreach (var (name, value) in _profile.Headers.Concat(mapping.Headers))
            {
                var expanded = Template.ExpandString(value, scope);
                if (expanded.Length > 0)
                {
                    headers.Add(new(name, expanded));
                }
            }
        }
        catch (TemplateException ex)
        {
            return Failure(new Exchange(mapping.Method, mapping.Path, Empty, null, null, Empty, null, 0, 0),
                new DriverError("template", $"action '{action}': {ex.Message}"));
        }

        var requestText = body?.ToString(Formatting.None);

        // The app may name a PIN field anything ("parentPin"), so credentials are also masked by the step arg they came from.
        var redactor = Redactor.WithValues(args.Properties()
            .Where(p => Redactor.IsSensitiveField(p.Name) && p.Value.Type is JTokenType.String or JTokenType.Integer)
            .Select(p => Template.AsText(p.Value)));
        var evidenceHeaders = headers.ToDictionary(h => h.Key, h => redactor.Header(h.Key, h.Value), StringComparer.OrdinalIgnoreCase);
        var evidencePath = redactor.Text(path);
        var evidenceBody = redactor.Json(body);
        var uri = new Uri(_baseAddress.AbsoluteUri.TrimEnd('/') + path);
        var started = _options.TimeProvider.GetTimestamp();
        var attempts = 0;

        HttpStatusCode status;
        string responseText;
        Dictionary<string, string> responseHeaders;
        string? mediaType;
        try
        {
            (status, responseText, responseHeaders, mediaType) = await PipelineFor(mapping.Method).ExecuteAsync(async ct =>
            {
                attempts++;
                using var request = new HttpRequestMessage(new HttpMethod(mapping.Method), uri);
                foreach (var (name, value) in headers)
                {
                    request.Headers.TryAddWithoutValidation(name, value);
                }

                if (requestText is not null)
                {
                    request.Content = new StringContent(requestText, Encoding.UTF8, "application/json");
                }

                using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
                var text = await ReadBodyAsync(response, ct);
                var recorded = response.Headers.Concat(response.Content.Headers)
                    .ToDictionary(h => h.Key, h => redactor.Header(h.Key, string.Join(", ", h.Value)), StringComparer.OrdinalIgnoreCase);
                return (response.StatusCode, text, recorded, response.Content.Headers.ContentType?.MediaType);
            }, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException or SocketException or IOException
                                       || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var kind = ex is TimeoutRejectedException or OperationCanceledException ? "timeout" : "transport";
            var message = kind == "timeout"
                ? $"请求超时 / request timed out after {attempts} attempt(s) of {_options.RequestTimeout.TotalSeconds:0.#} s: {mapping.Method} {evidencePath}"
                : $"传输错误 / transport error after {attempts} attempt(s): {mapping.Method} {evidencePath}: {Describe(ex)}";
            return Failure(new Exchange(mapping.Method, evidencePath, evidenceHeaders, evidenceBody, null, Empty, null, Elapsed(started), attempts),
                new DriverError(kind, redactor.Text(message)));
        }

        var fields = new JObject { ["status"] = (int)status };
        JToken? parsed = null;
        DriverError? error = null;
        if (!string.IsNullOrWhiteSpace(responseText))
        {
            try
            {
                using var reader = new JsonTextReader(new StringReader(responseText)) { DateParseHandling = DateParseHandling.None, MaxDepth = 64 };
                parsed = JToken.ReadFrom(reader);
            }
            catch (JsonReaderException)
            {
                error = new DriverError("non-json", $"应答不是 JSON / unexpected non-JSON response (status {(int)status}, content type {mediaType ?? "none"})");
            }
        }

        foreach (var (field, jsonPath) in mapping.Extract)
        {
            fields[field] = Select(parsed, jsonPath);
        }

        JToken? evidenceResponse = parsed is not null ? redactor.Json(parsed) : responseText.Length == 0 ? null : Cut(redactor.Text(responseText));
        var exchange = new Exchange(mapping.Method, evidencePath, evidenceHeaders, evidenceBody, (int)status, responseHeaders, evidenceResponse, Elapsed(started), attempts);
        return new DriverResult(fields, exchange, error);
    }

    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();

    private static DriverResult Failure(Exchange exchange, DriverError error) => new(new JObject { ["status"] = null }, exchange, error);

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
