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
        api.MapPost("/videos/{videoId}/play", async (string videoId, string user, IUsageGate usage, IContentPool pool, IContentCatalog catalog, CancellationToken ct) =>
        {
            var time = await usage.CheckAsync(user, ct);
            if (!time.IsAllowed)
            {
                return Refused(time);
            }

            var content = await pool.CheckAsync(user, videoId, ct);
            if (!content.IsAllowed)
            {
                return Refused(content);
            }

            var item = await catalog.GetAsync(videoId, ct);
            return Results.Json(new { played = true, title = item?.Title, notice = time.Outcome == TeenMode.Outcome.AllowWithNotice ? time.Reason.Value : null });
        });

        api.MapGet("/feed", async (string user, string? cursor, IContentPool pool, CancellationToken ct) =>
            await pool.GetFeedAsync(user, cursor, 20, ct) is { } page
                ? Results.Json(new { items = page.Items.Select(i => new { i.Id, i.Title, i.Category }), page.NextCursor })
                : Results.NotFound());
    }

    // A store outage is not the minor's refusal: 503 tells the client to retry later.
    private static IResult Refused(Decision decision)
    {
        var body = new { played = false, reasonCode = decision.Reason.Value };
        return decision.Reason == ReasonCode.StoreUnavailable
            ? new RetryLater(Results.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable))
            : Results.Json(body, statusCode: StatusCodes.Status403Forbidden);
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
