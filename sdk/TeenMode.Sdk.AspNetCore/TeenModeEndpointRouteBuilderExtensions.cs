using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using TeenMode.AntiAddiction;
using TeenMode.AspNetCore.Internal;
using TeenMode.ContentPool;
using TeenMode.ParentalControl;
using TeenMode.Reporting;
using TeenMode.Rules;
using TeenMode.Subjects;

namespace TeenMode.AspNetCore;

/// <summary>Maps the TeenMode HTTP API (see <c>docs/http-api.md</c>).</summary>
public static class TeenModeEndpointRouteBuilderExtensions
{
    /// <summary>The default route prefix of the versioned API.</summary>
    public const string DefaultPrefix = "/teenmode/v1";

    /// <summary>Maps the app endpoints: subjects, teen mode, guardians, heartbeats, usage, content, feed, games, reports.</summary>
    public static RouteGroupBuilder MapTeenMode(this IEndpointRouteBuilder endpoints, string prefix = DefaultPrefix)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var api = endpoints.MapGroup(prefix).WithExceptionBoundary().WithTeenModeFailClosed().WithCommonProblems();

        api.MapPost("/subjects", CreateSubjectAsync).Body<CreateSubjectBody>().WithTags("subjects").Answers(201, 409);
        api.MapGet("/subjects/{subjectId}", GetSubjectAsync).WithTags("subjects").Answers(200, 404);
        api.MapPost("/subjects/{subjectId}/teen-mode/enter", async (string subjectId, IParentalControl control, TimeProvider time, CancellationToken ct) =>
            Command(await control.EnterTeenModeAsync(subjectId, ct), time.GetUtcNow())).WithTags("subjects").Answers(200, 403, 404);
        api.MapPost("/subjects/{subjectId}/teen-mode/exit", ExitAsync).Body<GuardianProofBody>(optional: true).WithTags("subjects").Answers(200, 403, 404, 429);
        api.MapPost("/subjects/{subjectId}/heartbeats", HeartbeatAsync).Body<HeartbeatBody>().WithTags("subjects").Answers(200, 404);
        api.MapGet("/subjects/{subjectId}/usage", UsageAsync).WithTags("subjects").Answers(200, 404);
        api.MapGet("/subjects/{subjectId}/content/{itemId}", async (string subjectId, string itemId, IContentPool pool, CancellationToken ct) =>
            Query(await pool.CheckAsync(subjectId, itemId, ct))).WithTags("subjects").Answers(200, 404);
        api.MapGet("/subjects/{subjectId}/feed", FeedAsync).WithTags("subjects").Answers(200, 404);
        TeenModeContentEndpoints.MapContent(api);
        TeenModeGameEndpoints.MapGames(api);
        TeenModeGuardianEndpoints.MapGuardians(api);
        ReportingEndpoints.MapPublic(api);
        TeenModeSpendingEndpoints.MapSpending(api);
        TeenModeUsageReportEndpoints.MapUsageReport(api);
        PiProtectionEndpoints.MapPublic(api);
        PersonalInfoEndpoints.Map(api);
        AgeAssuranceEndpoints.Map(api);
        return api;
    }

    private static IResult Query(Decision decision) =>
        decision.Reason == ReasonCode.UnknownSubject ? Json.UnknownSubject() : Json.Ok(Dto.Of(decision));

    private static IResult Command(Decision decision, DateTimeOffset now, int okStatus = StatusCodes.Status200OK)
    {
        if (decision.Reason == ReasonCode.UnknownSubject)
        {
            return Json.UnknownSubject();
        }

        if (decision.Reason == ReasonCode.GuardianLockedOut && decision.Details.RetryAt is { } retryAt)
        {
            return Json.TooSoon(decision.Reason.Value, "验证失败次数过多，请稍后再试", "Too many failed verifications; try again later", retryAt, now);
        }

        return decision.IsAllowed
            ? Json.Ok(Dto.Of(decision), okStatus)
            : Json.Problem(StatusCodes.Status403Forbidden, decision.Reason.Value, "操作被拒绝", "The action was refused",
                $"Reason: {decision.Reason.Value}; requirements: {string.Join(", ", decision.RequirementIds)}.");
    }


    private static async Task<IResult> CreateSubjectAsync(HttpRequest request, ISubjectService subjects, RulePack pack, TimeProvider time, CancellationToken ct)
    {
        var (body, problem) = await Json.ReadObjectAsync(request);
        if (problem is not null)
        {
            return problem;
        }

        var f = new FieldReader(body!);
        var id = f.String("id", maxLength: 128);
        // A birth date is a past day of a living person: not in the future, not before 1900.
        var birthDate = f.Date("birthDate", WireDates.MinBirthDate, DateOnly.FromDateTime(pack.ToLocal(time.GetUtcNow())));
        var bandText = f.String("declaredBand", required: false, maxLength: 8);
        AgeBand? band = null;
        if (bandText is not null)
        {
            if (AgeBand.TryParse(bandText, out var parsed))
            {
                band = parsed;
            }
            else
            {
                f.Add("declaredBand", "must be a band id such as \"8-12\" / 年龄段无效");
            }
        }

        var source = f.Enum<AgeSource>("ageSource", required: false) ?? AgeSource.SelfDeclared;
        if (source is AgeSource.RealNameVerified or AgeSource.OsSignal or AgeSource.DeviceMinorMode)
        {
            // A client cannot claim what only a provider or the device can tell: those go through their own endpoints.
            f.Add("ageSource", "must be self-declared, guardian-declared or unknown; real-name, OS-signal and device minor-mode ages are set through /real-name, /age-signals and /device-minor-mode / 实名、系统年龄信号与设备未成年人模式须通过各自的接口设置");
        }
        var teenMode = f.Boolean("teenMode") ?? true;
        if (!f.Ok)
        {
            return Json.Invalid(f.Errors);
        }

        var created = await subjects.RegisterAsync(new SubjectRegistration(id!, birthDate, band, source, teenMode), ct);
        if (created is null)
        {
            return Json.Problem(StatusCodes.Status409Conflict, "subject-exists", "用户已存在", "The subject exists already", $"Subject '{id}' exists; nothing was changed.");
        }

        var status = await subjects.GetStatusAsync(created.Id, ct);
        return Json.Ok(Dto.Of(status!), StatusCodes.Status201Created);
    }

    private static async Task<IResult> GetSubjectAsync(string subjectId, ISubjectService subjects, CancellationToken ct) =>
        await subjects.GetStatusAsync(subjectId, ct) is { } status ? Json.Ok(Dto.Of(status)) : Json.UnknownSubject();

    private static async Task<IResult> ExitAsync(string subjectId, HttpRequest request, IParentalControl control, TimeProvider time, CancellationToken ct)
    {
        var (body, problem) = await Json.ReadObjectAsync(request, optional: true);
        if (problem is not null)
        {
            return problem;
        }

        var f = new FieldReader(body!);
        var credential = TeenModeGuardianEndpoints.Credential(body!, f, "guardianPin", "credential") ?? GuardianCredential.Pin(string.Empty);
        return f.Ok ? Command(await control.ExitTeenModeAsync(subjectId, credential, ct), time.GetUtcNow()) : Json.Invalid(f.Errors);
    }

    private static async Task<IResult> HeartbeatAsync(string subjectId, HttpRequest request, IUsageGate gate, RulePack pack, CancellationToken ct)
    {
        var (body, problem) = await Json.ReadObjectAsync(request);
        if (problem is not null)
        {
            return problem;
        }

        var f = new FieldReader(body!);
        var deviceId = f.String("deviceId", maxLength: 128);
        var sequence = f.Integer("sequence", required: true, 0, long.MaxValue);
        var seconds = f.Integer("seconds", required: true, 0, 3600);
        var category = f.String("category", required: false, maxLength: 32);
        if (category is not null && pack.Guardian is { } rules && !rules.IsKnownCategory(category))
        {
            f.Add("category", $"must be one of {string.Join(", ", rules.AppCategories)} / 应用类别无效");
        }

        return f.Ok
            ? Query(await gate.RecordHeartbeatAsync(new Heartbeat(subjectId, deviceId!, sequence!.Value, (int)seconds!.Value, category), ct))
            : Json.Invalid(f.Errors);
    }

    private static async Task<IResult> UsageAsync(string subjectId, string? category, IUsageGate gate, RulePack pack, CancellationToken ct)
    {
        // An empty parameter (e.g. from a URL template) means "not given".
        category = string.IsNullOrEmpty(category) ? null : category;
        if (category is not null && pack.Guardian is { } rules && !rules.IsKnownCategory(category))
        {
            return Json.Invalid(new Dictionary<string, string[]> { ["category"] = [$"must be one of {string.Join(", ", rules.AppCategories)} / 应用类别无效"] });
        }

        return Query(await gate.CheckAsync(subjectId, category, ct));
    }

    private static async Task<IResult> FeedAsync(string subjectId, string? cursor, string? limit, string? q, string? category, IContentPool pool, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var size = QueryParams.Int(limit, "limit", 1, 100, errors);
        if (errors.Count > 0)
        {
            return Json.Invalid(errors);
        }

        // An empty parameter (e.g. from a URL template) means "not given".
        category = string.IsNullOrEmpty(category) ? null : category;
        cursor = string.IsNullOrEmpty(cursor) ? null : cursor;
        if (category is not null && !ContentCategories.IsKnown(category))
        {
            return Json.Invalid(new Dictionary<string, string[]> { ["category"] = [$"must be one of {string.Join(", ", ContentCategories.All)} / 分类无效"] });
        }

        if (q is { Length: > 100 })
        {
            return Json.Invalid(new Dictionary<string, string[]> { ["q"] = ["must be at most 100 characters / 搜索词过长"] });
        }

        var page = await pool.GetFeedAsync(subjectId, new FeedRequest(cursor, size ?? 20, q, category), ct);
        return page is null ? Json.UnknownSubject() : Json.Ok(new { items = page.Items.Select(Dto.Of), nextCursor = page.NextCursor });
    }
}
