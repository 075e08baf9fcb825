using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using TeenMode.AgeAssurance;
using TeenMode.AspNetCore.Internal;
using TeenMode.Subjects;

namespace TeenMode.AspNetCore;

/// <summary>Age assurance (issue 16): real-name verification, provider callbacks, OS age signals, device minor mode, game sessions.</summary>
internal static partial class AgeAssuranceEndpoints
{
    /// <summary>The header carrying a callback's signature: <c>sha256=</c> and the lowercase hex HMAC.</summary>
    public const string SignatureHeader = "TeenMode-Signature";

    /// <summary>The header carrying a callback's Unix time in seconds; it is part of what is signed.</summary>
    public const string TimestampHeader = "TeenMode-Timestamp";

    public static void Map(RouteGroupBuilder api)
    {
        // These three wait on the real-name provider (bounded by its own Polly timeout); the service bounds each store step.
        api.MapPost("/subjects/{subjectId}/real-name", VerifyAsync).Body<VerifyRealNameBody>().WithTags("age-assurance").Answers(200, 403, 404).WithMetadata(new StoreFailureFilter.NoDeadline());
        api.MapPost("/subjects/{subjectId}/real-name/refresh", async (string subjectId, IAgeAssurance age, CancellationToken ct) =>
            RealName(await age.RefreshRealNameAsync(subjectId, ct), subjectId)).WithTags("age-assurance").Answers(200, 403, 404).WithMetadata(new StoreFailureFilter.NoDeadline());
        api.MapPost("/real-name/callbacks", CallbackAsync).Body<RealNameCallbackBody>().WithTags("age-assurance").Answers(200, 401, 404, 409);
        api.MapPost("/subjects/{subjectId}/age-signals", AgeSignalAsync).Body<AgeSignalBody>().WithTags("age-assurance").Answers(200, 404);
        api.MapPost("/subjects/{subjectId}/device-minor-mode", DeviceMinorModeAsync).Body<DeviceMinorModeBody>().WithTags("age-assurance").Answers(200, 404);
        api.MapPost("/subjects/{subjectId}/games/sessions", GameSessionAsync).Body<GameSessionBody>().WithTags("age-assurance").Answers(200, 403, 404).WithMetadata(new StoreFailureFilter.NoDeadline());
    }

    // Ids the provider and the app exchange: printable ASCII without spaces or separators that could smuggle structure.
    [GeneratedRegex("^[A-Za-z0-9._:-]{1,64}$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex SafeId();

    private static async Task<IResult> VerifyAsync(string subjectId, HttpRequest request, IAgeAssurance age, CancellationToken ct)
    {
        var (body, problem) = await Json.ReadObjectAsync(request);
        if (problem is not null)
        {
            return problem;
        }

        var f = new FieldReader(body!);
        var name = f.String("name", maxLength: 64);
        var number = f.String("identityNumber", maxLength: 18);
        if (!f.Ok)
        {
            // Never echo the number: the field messages name the rule, not the value.
            return Json.Invalid(f.Errors);
        }

        var result = await age.VerifyRealNameAsync(subjectId, name!, number!, ct);
        if (result.Decision.Reason.Value.StartsWith("identity-number-", StringComparison.Ordinal))
        {
            return Json.Problem(StatusCodes.Status422UnprocessableEntity, result.Decision.Reason.Value, "身份证号码无效", "The identity number is not valid",
                "Nothing was sent to the real-name provider and nothing was changed.",
                new Dictionary<string, string[]> { ["identityNumber"] = [IdentityMessage(result.Decision.Reason)] });
        }

        return RealName(result, subjectId);
    }

    private static string IdentityMessage(ReasonCode reason) => reason.Value switch
    {
        "identity-number-malformed" => "must be 17 digits followed by a digit or X / 须为 17 位数字加 1 位数字或 X",
        "identity-number-region" => "does not start with a region code / 开头不是有效的行政区划代码",
        "identity-number-birth-date" => "holds a birth date that does not exist / 出生日期不存在",
        "identity-number-birth-date-future" => "holds a birth date in the future / 出生日期晚于今天",
        _ => "has a wrong check character / 校验码不正确",
    };

    private static IResult RealName(RealNameVerification result, string subjectId)
    {
        if (Refused(result.Decision) is { } refused)
        {
            return refused;
        }

        var reason = result.Decision.Reason;

        if (reason == ReasonCode.RealNameUnavailable)
        {
            return new ProblemWithRetry(Json.Problem(StatusCodes.Status503ServiceUnavailable, reason.Value, "实名认证服务暂不可用", "The real-name service is unavailable",
                "Nothing was recorded; the user stays unverified (no game service). Retry later."), 30);
        }

        var status = result.Subject;
        var body = new
        {
            subjectId,
            realName = WireNames.Of(result.Status),
            verified = result.Status == RealNameStatus.Verified,
            reasonCode = reason.Value,
            requirementIds = result.Decision.RequirementIds,
            band = status?.Rules.Band.Id,
            ageSource = status is null ? null : WireNames.Of(status.Subject.AgeSource),
        };

        // 202: the provider has not decided yet; ask again with /refresh (or wait for its callback).
        return Json.Ok(body, result.Status == RealNameStatus.Pending ? StatusCodes.Status202Accepted : StatusCodes.Status200OK);
    }

    private static async Task<IResult> CallbackAsync(HttpRequest request, IAgeAssurance age, IOptions<RealNameVerificationOptions> options, TimeProvider time,
        CancellationToken ct)
    {
        if (options.Value.CallbackSecret is not { } secret)
        {
            return Json.Problem(StatusCodes.Status404NotFound, "real-name-callback-disabled", "未启用实名认证回调", "Real-name callbacks are not enabled",
                "Set RealNameVerificationOptions.CallbackSecret to accept signed callbacks.");
        }

        var (body, bytes, problem) = await Json.ReadObjectAndBytesAsync(request);
        if (problem is not null)
        {
            return problem;
        }

        if (!SignatureHolds(request, bytes!, secret, options.Value.CallbackMaxAge, time.GetUtcNow()))
        {
            return Json.Problem(StatusCodes.Status401Unauthorized, "signature-invalid", "回调签名无效或已过期", "The callback signature is missing, wrong or too old",
                $"Sign '{TimestampHeader}.' + body with HMAC-SHA256 and send it as '{SignatureHeader}: sha256=<hex>'.");
        }

        var f = new FieldReader(body!);
        var accountId = f.String("accountId", maxLength: 128);
        var outcome = f.String("status", maxLength: 16);
        var playerId = f.String("playerId", required: false, maxLength: 64);
        RealNameOutcome parsed = default;
        if (outcome is not null && (!WireNames.TryParse(outcome, out parsed) || parsed == RealNameOutcome.Unavailable))
        {
            f.Add("status", "must be verified, pending or failed / 须为 verified、pending 或 failed");
        }

        if (playerId is not null && !SafeId().IsMatch(playerId))
        {
            f.Add("playerId", "must be 1-64 letters, digits or . _ : - / 须为 1 至 64 位字母、数字或 . _ : -");
        }

        if (f.Ok && parsed == RealNameOutcome.Verified && playerId is null)
        {
            f.Add("playerId", "is required when status is verified / 认证成功时必填");
        }

        if (!f.Ok)
        {
            return Json.Invalid(f.Errors);
        }

        return RealName(await age.CompleteRealNameAsync(accountId!, new RealNameResult(parsed, playerId), ct), accountId!);
    }

    private static bool SignatureHolds(HttpRequest request, byte[] body, string secret, TimeSpan maxAge, DateTimeOffset now)
    {
        var stamp = request.Headers[TimestampHeader].ToString();
        var signature = request.Headers[SignatureHeader].ToString();
        if (!long.TryParse(stamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > now.ToUnixTimeSeconds() + (long)maxAge.TotalSeconds
            || seconds < now.ToUnixTimeSeconds() - (long)maxAge.TotalSeconds
            || !signature.StartsWith("sha256=", StringComparison.Ordinal))
        {
            return false;
        }

        byte[] given;
        try
        {
            given = Convert.FromHexString(signature.AsSpan(7));
        }
        catch (FormatException)
        {
            return false;
        }

        var signed = new byte[stamp.Length + 1 + body.Length];
        Encoding.ASCII.GetBytes(stamp, signed);
        signed[stamp.Length] = (byte)'.';
        body.CopyTo(signed, stamp.Length + 1);
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    private static async Task<IResult> AgeSignalAsync(string subjectId, HttpRequest request, IAgeAssurance age, CancellationToken ct)
    {
        var (body, problem) = await Json.ReadObjectAsync(request);
        if (problem is not null)
        {
            return problem;
        }

        var f = new FieldReader(body!);
        var source = f.String("source", maxLength: 64);
        var status = f.String("status", maxLength: 64);
        var lower = f.Integer("lowerAge", required: false, 0, 200);
        var upper = f.Integer("upperAge", required: false, 0, 200);
        if (!f.Ok)
        {
            return Json.Invalid(f.Errors);
        }

        var result = await age.ApplyAgeSignalAsync(subjectId, new AgeSignal(source!, status!, (int?)lower, (int?)upper), ct);
        if (result.Error is { } error)
        {
            return FieldError(error);
        }

        if (Refused(result.Decision) is { } refused)
        {
            return refused;
        }

        var now = result.Subject;
        return Json.Ok(new
        {
            subjectId,
            treatment = WireNames.Of(result.Mapping!.Treatment),
            mappedBand = result.Mapping.Band?.Id,
            reasonCode = result.Decision.Reason.Value,
            requirementIds = result.Decision.RequirementIds,
            band = now?.Rules.Band.Id,
            ageSource = now is null ? null : WireNames.Of(now.Subject.AgeSource),
            teenMode = now?.Subject.TeenMode,
        });
    }

    private static async Task<IResult> DeviceMinorModeAsync(string subjectId, HttpRequest request, IAgeAssurance age, CancellationToken ct)
    {
        var (body, problem) = await Json.ReadObjectAsync(request);
        if (problem is not null)
        {
            return problem;
        }

        var f = new FieldReader(body!);
        var deviceId = f.String("deviceId", maxLength: 128);
        var minorMode = f.Boolean("minorMode");
        if (minorMode is null && !f.Errors.ContainsKey("minorMode"))
        {
            f.Add("minorMode", "is required / 必填");
        }

        var source = f.String("source", required: false, maxLength: 64);
        var lower = f.Integer("lowerAge", required: false, 0, 200);
        var upper = f.Integer("upperAge", required: false, 0, 200);
        if (!f.Ok)
        {
            return Json.Invalid(f.Errors);
        }

        // HarmonyOS is the system minor mode that reports an age group; another source names itself.
        var group = lower is null && upper is null ? null : new AgeSignal(source ?? "harmonyos", "on", (int?)lower, (int?)upper);
        var result = await age.SetDeviceMinorModeAsync(new DeviceMinorModeSignal(subjectId, deviceId!, minorMode!.Value, group), ct);
        if (result.Error is { } error)
        {
            return FieldError(error);
        }

        if (Refused(result.Decision) is { } refused)
        {
            return refused;
        }

        var now = result.Subject;
        return Json.Ok(new
        {
            subjectId,
            teenMode = now?.Subject.TeenMode,
            deviceMinorMode = now?.Subject.DeviceMinorMode,
            band = now?.Rules.Band.Id,
            ageSource = now is null ? null : WireNames.Of(now.Subject.AgeSource),
            reasonCode = result.Decision.Reason.Value,
            requirementIds = result.Decision.RequirementIds,
        });
    }

    private static async Task<IResult> GameSessionAsync(string subjectId, HttpRequest request, IAgeAssurance age, CancellationToken ct)
    {
        var (body, problem) = await Json.ReadObjectAsync(request);
        if (problem is not null)
        {
            return problem;
        }

        var f = new FieldReader(body!);
        var sessionId = f.String("sessionId", maxLength: 64);
        var deviceId = f.String("deviceId", maxLength: 128);
        var kind = f.String("event", maxLength: 16);
        if (kind is not null and not ("log-in" or "log-out"))
        {
            f.Add("event", "must be log-in or log-out / 须为 log-in 或 log-out");
        }

        if (sessionId is not null && !SafeId().IsMatch(sessionId))
        {
            f.Add("sessionId", "must be 1-64 letters, digits or . _ : - / 须为 1 至 64 位字母、数字或 . _ : -");
        }

        if (!f.Ok)
        {
            return Json.Invalid(f.Errors);
        }

        var result = await age.ReportGameSessionAsync(new GameSessionEvent(subjectId, sessionId!, deviceId!, kind == "log-in"), ct);
        if (Refused(result.Decision) is { } refused)
        {
            return refused;
        }

        var d = result.Decision;
        return Json.Ok(new
        {
            outcome = WireNames.Of(d.Outcome),
            allowed = d.IsAllowed,
            reasonCode = d.Reason.Value,
            requirementIds = d.RequirementIds,
            retryAt = d.Details.RetryAt,
            reported = result.Upload?.Accepted ?? false,
            reportErrors = result.Upload?.Errors.Select(e => e.Code) ?? [],
        });
    }

    // The two refusals every age-assurance route shares: 404 for an unknown id, 503 when the store failed.
    private static IResult? Refused(Decision decision) =>
        decision.Reason == ReasonCode.UnknownSubject ? Json.UnknownSubject()
        : decision.Reason == ReasonCode.StoreUnavailable ? Json.StoreUnavailable()
        : null;

    private static IResult FieldError(AgeSignalFieldError error) =>
        Json.Invalid(new Dictionary<string, string[]> { [error.Field] = [$"{error.Message.En} / {error.Message.ZhCn}"] });


    // A problem response with Retry-After, so a client backs off instead of hammering a provider that is down.
    private sealed class ProblemWithRetry(IResult inner, int seconds) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return inner.ExecuteAsync(httpContext);
        }
    }
}
