using System.Security.Cryptography;
using System.Text;
using TeenMode.AspNetCore;
using TeenMode.AspNetCore.Conformance;

namespace ShortVideoApp;

/// <summary>The sample's personal-information staff API (issue 5): staff access and the incident flow.</summary>
public static partial class ShortVideoAppHost
{
    // A stand-in for the app's staff login: the reviewer key, or the conformance key during a conformance run.
    private static void MapPiAdmin(WebApplication app, ShortVideoAppOptions options)
    {
        if (options.ReviewerKey is null && options.ConformanceKey is null)
        {
            return;
        }

        app.MapTeenModePiAdmin().AddEndpointFilter(async (context, next) =>
            Matches(context.HttpContext.Request.Headers["X-Reviewer-Key"].ToString(), options.ReviewerKey)
            || Matches(context.HttpContext.Request.Headers[ConformanceDriverExtensions.KeyHeader].ToString(), options.ConformanceKey)
                ? await next(context)
                : Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "需要工作人员身份 / Staff credentials required", extensions: KeyRequired()));
    }

    private static bool Matches(string given, string? expected) =>
        expected is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));
}
