namespace TeenMode.AspNetCore;

/// <summary>
/// The shape of every error answer (<c>application/problem+json</c>, RFC 9457) of the TeenMode HTTP API, for API
/// descriptions: the endpoints write it by hand.
/// </summary>
/// <param name="Type">A URI naming the problem: <c>https://teenmode.dev/problems/{reasonCode}</c>.</param>
/// <param name="Title">What went wrong, in Chinese and English (<c>中文 / English</c>).</param>
/// <param name="Status">The HTTP status code.</param>
/// <param name="ReasonCode">The stable reason code clients branch on (see <c>ReasonCode.WellKnown</c>; the API also uses a few of its own, e.g. <c>invalid-request</c>).</param>
/// <param name="Detail">More about this occurrence, when there is more to say.</param>
/// <param name="Errors">For <c>400</c>: the fields that were wrong, each with its messages.</param>
public sealed record TeenModeProblem(
    string Type,
    string Title,
    int Status,
    string ReasonCode,
    string? Detail = null,
    IReadOnlyDictionary<string, string[]>? Errors = null);
