using Newtonsoft.Json.Linq;

namespace TeenMode.Harness.Drivers;

/// <summary>Performs the suite's actions against one app.</summary>
public interface IDriver
{
    /// <summary>What the driver (its profile) can do, e.g. <c>subject-setup</c>, <c>virtual-clock</c>.</summary>
    IReadOnlyCollection<string> Capabilities { get; }

    /// <summary>True when the driver can perform <paramref name="action"/>.</summary>
    bool Supports(string action);

    /// <summary>Performs one action. Transport problems come back as <see cref="DriverResult.Error"/>, never as an exception.</summary>
    Task<DriverResult> ExecuteAsync(string action, JObject args, CancellationToken cancellationToken = default);
}

/// <summary>What one action did.</summary>
/// <param name="Fields">The result fields: always <c>status</c> (HTTP code, null on transport errors) plus the profile's extractions.</param>
/// <param name="Exchange">The request and response as evidence, already redacted.</param>
/// <param name="Error">Set when the action could not be judged: transport failure, timeout, non-JSON answer.</param>
public sealed record DriverResult(JObject Fields, Exchange Exchange, DriverError? Error)
{
    /// <summary>The HTTP status, when a response came.</summary>
    public int? Status => Exchange.Status;

    /// <summary>Every exchange of the action, in order (a format-2 action may send several requests); the last is <see cref="Exchange"/>.</summary>
    public IReadOnlyList<Exchange> Exchanges { get; init; } = [Exchange];
}

/// <summary>Why a step could not be judged.</summary>
/// <param name="Kind"><c>transport</c>, <c>timeout</c>, <c>non-json</c>, <c>template</c> (a template or expression failed), <c>unmapped</c> (an app value the profile does not map) or <c>type</c> (a result field of the wrong type).</param>
/// <param name="Message">What happened.</param>
public sealed record DriverError(string Kind, string Message)
{
    /// <summary>True when no response arrived at all.</summary>
    public bool IsTransport => Kind is "transport" or "timeout";
}

/// <summary>One HTTP exchange as evidence (redacted).</summary>
public sealed record Exchange(
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> RequestHeaders,
    JToken? RequestBody,
    int? Status,
    IReadOnlyDictionary<string, string> ResponseHeaders,
    JToken? ResponseBody,
    long DurationMs,
    int Attempts);
