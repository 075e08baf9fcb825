using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Newtonsoft.Json.Serialization;

namespace TeenMode.AspNetCore.Internal;

/// <summary>Newtonsoft-based request reading and response writing with clear, located errors.</summary>
internal static class Json
{
    /// <summary>Bodies larger than this are refused: every TeenMode request is small.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    public static readonly JsonSerializerSettings Settings = new()
    {
        TypeNameHandling = TypeNameHandling.None,
        ContractResolver = new CamelCasePropertyNamesContractResolver(),
        NullValueHandling = NullValueHandling.Include,
        DateFormatHandling = DateFormatHandling.IsoDateFormat,
        DateTimeZoneHandling = DateTimeZoneHandling.Utc,
        Culture = CultureInfo.InvariantCulture,
        MaxDepth = 32,
    };

    private static readonly JsonSerializer Serializer = JsonSerializer.Create(Settings);

    /// <summary>The reason code of a fail-closed denial; every response carrying it is answered 503 (see <see cref="StoreUnavailable"/>).</summary>
    public const string StoreUnavailableCode = "store-unavailable";

    public static IResult Ok(object body, int status = StatusCodes.Status200OK)
    {
        var token = JToken.FromObject(body, Serializer);

        // One place for every endpoint: a decision the store could not make is never a 200 (a client would not retry it).
        return token is JObject o && o["reasonCode"] is JValue { Value: StoreUnavailableCode }
            ? StoreUnavailable()
            : new JsonResult(token, status, "application/json");
    }

    /// <summary>
    /// The store failed or was too slow, so the request was refused (fail closed) and nothing is known to be recorded:
    /// <c>503</c> with <c>Retry-After</c>. Heartbeats and reports with an idempotency key are safe to resend.
    /// </summary>
    public static IResult StoreUnavailable()
    {
        var body = new JObject
        {
            ["type"] = "https://teenmode.dev/problems/" + StoreUnavailableCode,
            ["title"] = "存储暂不可用，请求已被拒绝 / The store is unavailable; the request was refused",
            ["status"] = StatusCodes.Status503ServiceUnavailable,
            ["reasonCode"] = StoreUnavailableCode,
            ["detail"] = "Fail closed: retry after the Retry-After delay with the same idempotency key or heartbeat sequence. / 已按最严格的方式拒绝：请在 Retry-After 之后使用相同的幂等键或心跳序号重试。",
        };
        return new StoreUnavailableResult(body);
    }

    /// <summary>A refusal that may be retried later: <c>429</c> with <c>Retry-After</c> (seconds) and <c>retryAt</c> in the body.</summary>
    public static IResult TooSoon(string reasonCode, string titleZh, string titleEn, DateTimeOffset retryAt, DateTimeOffset now)
    {
        var seconds = Math.Max(1, (long)Math.Ceiling((retryAt - now).TotalSeconds));
        var body = new JObject
        {
            ["type"] = "https://teenmode.dev/problems/" + reasonCode,
            ["title"] = $"{titleZh} / {titleEn}",
            ["status"] = StatusCodes.Status429TooManyRequests,
            ["reasonCode"] = reasonCode,
            ["retryAt"] = retryAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture),
        };
        return new JsonResult(body, StatusCodes.Status429TooManyRequests, "application/problem+json",
            ("Retry-After", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    /// <summary>404 <c>unknown-subject</c>: the one answer every route gives for an id the store does not know.</summary>
    public static IResult UnknownSubject() =>
        Problem(StatusCodes.Status404NotFound, ReasonCode.UnknownSubject.Value, "用户不存在", "No such subject");

    public static IResult Problem(int status, string reasonCode, string titleZh, string titleEn, string? detail = null, IDictionary<string, string[]>? errors = null)
    {
        if (reasonCode == StoreUnavailableCode)
        {
            return StoreUnavailable();
        }

        var body = new JObject
        {
            ["type"] = "https://teenmode.dev/problems/" + reasonCode,
            ["title"] = $"{titleZh} / {titleEn}",
            ["status"] = status,
            ["reasonCode"] = reasonCode,
        };
        if (detail is not null)
        {
            body["detail"] = detail;
        }

        if (errors is { Count: > 0 })
        {
            body["errors"] = JObject.FromObject(errors);
        }

        return new JsonResult(body, status, "application/problem+json");
    }

    public static IResult Invalid(IDictionary<string, string[]> errors) =>
        Problem(StatusCodes.Status400BadRequest, "invalid-request", "请求无效", "The request is invalid", "See 'errors' for each field.", errors);

    /// <summary>Reads the body as a JSON object, or returns the problem that explains why it cannot.</summary>
    /// <remarks>
    /// Strict on purpose: a hostile client must not get a lenient parse stored. Invalid UTF-8, anything after the object,
    /// duplicate property names, comments, single quotes and trailing commas are <c>invalid-json</c>; a string holding a lone
    /// UTF-16 surrogate is <c>invalid-request</c> naming its path.
    /// </remarks>
    public static async Task<(JObject? Body, IResult? Problem)> ReadObjectAsync(HttpRequest request, bool optional = false)
    {
        var (body, _, problem) = await ReadObjectAndBytesAsync(request, optional).ConfigureAwait(false);
        return (body, problem);
    }

    /// <summary>As <see cref="ReadObjectAsync"/>, also giving the exact bytes received (for a signature over the body).</summary>
    public static async Task<(JObject? Body, byte[]? Bytes, IResult? Problem)> ReadObjectAndBytesAsync(HttpRequest request, bool optional = false)
    {
        if (request.ContentLength is > MaxBodyBytes)
        {
            return (null, null, TooLarge());
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return (null, null, TooLarge());
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            return optional
                ? (new JObject(), [], null)
                : (null, null, Problem(StatusCodes.Status400BadRequest, "invalid-json", "请求体为空", "The request body is empty", "Send a JSON object."));
        }

        var (text, problem) = StrictJson.Check(new ReadOnlySpan<byte>(buffer.GetBuffer(), 0, (int)buffer.Length));
        if (problem is not null)
        {
            return (null, null, problem);
        }

        try
        {
            // The text passed the strict check above; Newtonsoft only builds the tree the field readers walk.
            using var reader = new JsonTextReader(new StringReader(text!)) { DateParseHandling = DateParseHandling.None, MaxDepth = StrictJson.MaxDepth + 1 };
            var token = JToken.ReadFrom(reader);
            return token is JObject obj
                ? (obj, buffer.ToArray(), null)
                : (null, null, Problem(StatusCodes.Status400BadRequest, "invalid-json", "请求体必须是 JSON 对象", "The body must be a JSON object", $"Found {token.Type} at line 1."));
        }
        catch (JsonReaderException ex)
        {
            var detail = string.Create(CultureInfo.InvariantCulture, $"Malformed JSON at line {ex.LineNumber}, column {ex.LinePosition} (path '{ex.Path}').");
            return (null, null, Problem(StatusCodes.Status400BadRequest, "invalid-json", "JSON 格式错误", "Malformed JSON", detail));
        }
    }

    internal static IResult MalformedJson(string detail) => Problem(StatusCodes.Status400BadRequest, "invalid-json", "JSON 格式错误", "Malformed JSON", detail);

    private static IResult TooLarge() => Problem(StatusCodes.Status413PayloadTooLarge, "body-too-large", "请求体过大", "The request body is too large",
        string.Create(CultureInfo.InvariantCulture, $"At most {MaxBodyBytes} bytes are accepted."));

    // A retry makes sense once the store's own deadline has passed; the options are the app's, read per response.
    private sealed class StoreUnavailableResult(JObject body) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var timeout = httpContext.RequestServices.GetService<IOptions<TeenModeOptions>>()?.Value.StoreTimeout ?? TimeSpan.FromSeconds(2);
            var seconds = Math.Max(1, (long)Math.Ceiling(timeout.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return new JsonResult(body, StatusCodes.Status503ServiceUnavailable, "application/problem+json", ("Retry-After", seconds)).ExecuteAsync(httpContext);
        }
    }

    private sealed class JsonResult(JToken body, int status, string contentType, params (string Name, string Value)[] headers) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            foreach (var (name, value) in headers)
            {
                httpContext.Response.Headers[name] = value;
            }

            httpContext.Response.ContentType = contentType + "; charset=utf-8";
            await httpContext.Response.WriteAsync(body.ToString(Formatting.None), httpContext.RequestAborted).ConfigureAwait(false);
        }
    }
}

/// <summary>Reads typed fields from a JSON body and collects every problem by field name.</summary>
internal sealed class FieldReader(JObject body)
{
    public Dictionary<string, string[]> Errors { get; } = new(StringComparer.Ordinal);

    public bool Ok => Errors.Count == 0;

    public string? String(string name, bool required = true, int maxLength = 256)
    {
        var token = body[name];
        if (token is null || token.Type == JTokenType.Null)
        {
            if (required)
            {
                Add(name, "is required / 必填");
            }

            return null;
        }

        if (token.Type != JTokenType.String)
        {
            Add(name, $"must be a string, not {token.Type} / 必须是字符串");
            return null;
        }

        var value = (string)token!;
        if (required && string.IsNullOrWhiteSpace(value))
        {
            Add(name, "must not be empty / 不能为空");
            return null;
        }

        if (value.Length > maxLength)
        {
            Add(name, string.Create(CultureInfo.InvariantCulture, $"must be at most {maxLength} characters / 过长"));
            return null;
        }

        return value;
    }

    public long? Integer(string name, bool required, long min, long max)
    {
        var token = body[name];
        if (token is null || token.Type == JTokenType.Null)
        {
            if (required)
            {
                Add(name, "is required / 必填");
            }

            return null;
        }

        if (token.Type != JTokenType.Integer)
        {
            Add(name, $"must be an integer, not {token.Type} / 必须是整数");
            return null;
        }

        // Newtonsoft keeps an integer beyond long as a BigInteger; a cast would throw, so it is out of range here.
        if (token is not JValue { Value: long value } || value < min || value > max)
        {
            Add(name, string.Create(CultureInfo.InvariantCulture, $"is out of range: must be an integer between {min} and {max} / 超出范围"));
            return null;
        }

        return value;
    }

    public bool? Boolean(string name)
    {
        var token = body[name];
        if (token is null || token.Type == JTokenType.Null)
        {
            return null;
        }

        if (token.Type != JTokenType.Boolean)
        {
            Add(name, $"must be true or false, not {token.Type} / 必须是布尔值");
            return null;
        }

        return (bool)token;
    }

    /// <summary>An optional local date yyyy-MM-dd between <paramref name="min"/> and <paramref name="max"/>: impossible or far dates are refused, so no later arithmetic overflows.</summary>
    public DateOnly? Date(string name, DateOnly min, DateOnly max)
    {
        var text = String(name, required: false, maxLength: 10);
        if (text is null)
        {
            return null;
        }

        if (!WireDates.TryParseDay(text, out var date))
        {
            Add(name, "must be a date yyyy-MM-dd / 日期格式应为 yyyy-MM-dd");
            return null;
        }

        if (date < min || date > max)
        {
            Add(name, WireDates.OutOfRange(min, max));
            return null;
        }

        return date;
    }

    public T? Enum<T>(string name, bool required)
        where T : struct, Enum
    {
        var text = String(name, required, 64);
        if (text is null)
        {
            return null;
        }

        if (WireNames.TryParse<T>(text, out var value))
        {
            return value;
        }

        Add(name, $"must be one of {string.Join(", ", WireNames.All<T>())} / 取值无效");
        return null;
    }

    public IReadOnlyList<AgeBand>? Bands(string name)
    {
        var token = body[name];
        if (token is null || token.Type == JTokenType.Null)
        {
            return null;
        }

        if (token is not JArray array)
        {
            Add(name, "must be an array of band ids such as \"8-12\" / 必须是年龄段数组");
            return null;
        }

        var bands = new List<AgeBand>();
        foreach (var item in array)
        {
            if (item.Type == JTokenType.String && AgeBand.TryParse((string?)item, out var band))
            {
                bands.Add(band);
            }
            else
            {
                Add(name, $"'{item}' is not a band id such as \"8-12\" / 年龄段无效");
                return null;
            }
        }

        return bands;
    }

    public void Add(string name, string message) =>
        Errors[name] = Errors.TryGetValue(name, out var existing) ? [.. existing, message] : [message];
}
