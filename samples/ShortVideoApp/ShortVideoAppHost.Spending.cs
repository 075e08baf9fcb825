using System.Security.Cryptography;
using System.Text;
using TeenMode.AspNetCore;

namespace ShortVideoApp;

/// <summary>The sample's refund wiring (issue 3): the platform's refund decisions behind the reviewers' key.</summary>
public static partial class ShortVideoAppHost
{
    // A stand-in for the app's staff login, as for report review.
    private static void MapRefundReview(WebApplication app, string reviewerKey)
    {
        var expected = Encoding.UTF8.GetBytes(reviewerKey);
        app.MapTeenModeRefundReview().AddEndpointFilter(async (context, next) =>
            CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(context.HttpContext.Request.Headers["X-Reviewer-Key"].ToString()), expected)
                ? await next(context)
                : Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "需要审核员身份 / Reviewer key required", extensions: KeyRequired()));
    }
}
