using TeenMode.AntiAddiction;
using TeenMode.ContentPool;

namespace ShortVideoApp;

/// <summary>The app's own API: what a short-video client calls. Every call goes through the SDK's gates.</summary>
internal static class AppEndpoints
{
    public static void Map(WebApplication app)
    {
        var api = app.MapGroup("/api");

        // Playing a video needs both the time rules and the content pool to agree.
        api.MapPost("/videos/{videoId}/play", async (string videoId, string user, IUsageGate usage, IContentPool pool, IContentCatalog catalog, CancellationToken ct) =>
        {
            var time = await usage.CheckAsync(user, ct);
            if (!time.IsAllowed)
            {
                return Results.Json(new { played = false, reasonCode = time.Reason.Value }, statusCode: StatusCodes.Status403Forbidden);
            }

            var content = await pool.CheckAsync(user, videoId, ct);
            if (!content.IsAllowed)
            {
                return Results.Json(new { played = false, reasonCode = content.Reason.Value }, statusCode: StatusCodes.Status403Forbidden);
            }

            var item = await catalog.GetAsync(videoId, ct);
            return Results.Json(new { played = true, title = item?.Title, notice = time.Outcome == TeenMode.Outcome.AllowWithNotice ? time.Reason.Value : null });
        });

        api.MapGet("/feed", async (string user, string? cursor, IContentPool pool, CancellationToken ct) =>
            await pool.GetFeedAsync(user, cursor, 20, ct) is { } page
                ? Results.Json(new { items = page.Items.Select(i => new { i.Id, i.Title, i.Category }), page.NextCursor })
                : Results.NotFound());
    }
}
