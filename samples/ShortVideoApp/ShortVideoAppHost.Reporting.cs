using System.Security.Cryptography;
using System.Text;
using TeenMode;
using TeenMode.AspNetCore;
using TeenMode.AspNetCore.Conformance;

namespace ShortVideoApp;

/// <summary>The sample's reporting wiring (issue 6): authority sink, background delivery, reviewers' API.</summary>
public static partial class ShortVideoAppHost
{
    private static void ConfigureReporting(ITeenModeBuilder teenMode, ShortVideoAppOptions options)
    {
        if (options.AuthoritySinkUrl is { } url)
        {
            teenMode.UseAuthorityWebhook(o =>
            {
                o.Url = url;
                o.Secret = options.AuthoritySinkSecret;
            });
        }
        else if (options.ConformanceKey is not null)
        {
            teenMode.UseConformanceRecordingSink();
        }

        teenMode.AddAuthorityNoticeDispatcher(options.AuthorityDispatch);
    }

    // A stand-in for the app's staff login: reviewers present a shared key.
    private static void MapReview(WebApplication app, string reviewerKey)
    {
        var expected = Encoding.UTF8.GetBytes(reviewerKey);
        app.MapTeenModeReportReview().AddEndpointFilter(async (context, next) =>
            CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(context.HttpContext.Request.Headers["X-Reviewer-Key"].ToString()), expected)
                ? await next(context)
                : Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "需要审核员身份 / Reviewer key required", extensions: KeyRequired()));
    }
}
