using TeenMode;
using TeenMode.AntiAddiction;
using TeenMode.AspNetCore;
using TeenMode.ContentPool;

namespace ShortVideoApp;

/// <summary>The app's own API: what a short-video client calls. Every call goes through the SDK's gates.</summary>
internal static class AppEndpoints
{
    public static void Map(WebApplication app)
    {
        var api = app.MapGroup("/api").WithTeenModeFailClosed();

        // Playing a video needs both the time rules and the content pool to agree.
        // The user is bound as an optional string and checked here, so a missing one is a problem+json 400, not a binding failure.
        api.MapPost("/videos/{videoId}/play", async (string videoId, string? user, IUsageGate usage, IContentPool pool, IContentCatalog catalog, CancellationToken ct) =>
        {
            if (InvalidUser(user) is { } invalid)
            {
                return invalid;
            }

            var time = await usage.CheckAsync(user!, ct);
            if (!time.IsAllowed)
            {
                return Refused(time);
            }

            var content = await pool.CheckAsync(user!, videoId, ct);
            if (!content.IsAllowed)
            {
                return Refused(content);
            }

            var item = await catalog.GetAsync(videoId, ct);
            return Results.Json(new { played = true, title = item?.Title, notice = time.Outcome == TeenMode.Outcome.AllowWithNotice ? time.Reason.Value : null });
        });

        api.MapGet("/feed", async (string? user, string? cursor, IContentPool pool, CancellationToken ct) =>
        {
            if (InvalidUser(user) is { } invalid)
            {
                return invalid;
            }

            if (cursor is { Length: > 256 })
            {
                return Problem(StatusCodes.Status400BadRequest, "invalid-request", "请求无效 / The request is invalid",
                    new Dictionary<string, string[]> { ["cursor"] = ["must be at most 256 characters / 过长"] });
            }

            return await pool.GetFeedAsync(user!, string.IsNullOrEmpty(cursor) ? null : cursor, 20, ct) is { } page
                ? Results.Json(new { items = page.Items.Select(i => new { i.Id, i.Title, i.Category }), page.NextCursor })
                : Problem(StatusCodes.Status404NotFound, "unknown-subject", "用户不存在 / No such subject");
        });
    }

    private static IResult? InvalidUser(string? user) =>
        string.IsNullOrWhiteSpace(user) || user.Length > 128
            ? Problem(StatusCodes.Status400BadRequest, "invalid-request", "请求无效 / The request is invalid",
                new Dictionary<string, string[]> { ["user"] = ["query parameter is required (1 to 128 characters) / 必须提供用户"] })
            : null;

    private static IResult Problem(int status, string reasonCode, string title, Dictionary<string, string[]>? errors = null)
    {
        var extensions = new Dictionary<string, object?> { ["reasonCode"] = reasonCode };
        if (errors is not null)
        {
            extensions["errors"] = errors;
        }

        return Results.Problem(statusCode: status, title: title, extensions: extensions);
    }

    // A refusal keeps "played" and "reasonCode" for the client, as problem+json like every other error. A store outage is
    // not the minor's refusal: 503 with Retry-After tells the client to try again.
    private static IResult Refused(Decision decision)
    {
        var extensions = new Dictionary<string, object?> { ["reasonCode"] = decision.Reason.Value, ["played"] = false };
        return decision.Reason == ReasonCode.StoreUnavailable
            ? new RetryLater(Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "存储暂不可用 / The store is unavailable", extensions: extensions))
            : Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "无法播放 / The video cannot be played", extensions: extensions);
    }

    private sealed class RetryLater(IResult inner) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.RetryAfter = "2";
            return inner.ExecuteAsync(httpContext);
        }
    }
}
