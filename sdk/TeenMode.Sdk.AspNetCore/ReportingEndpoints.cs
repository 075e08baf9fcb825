using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Newtonsoft.Json.Linq;
using TeenMode.AspNetCore.Internal;
using TeenMode.Reporting;

namespace TeenMode.AspNetCore;

/// <summary>The reporting channel's HTTP endpoints (issue 6): filing, status for reporters and guardians, and the reviewers' workflow.</summary>
public static partial class ReportingEndpoints
{
    /// <summary>The default prefix of the reviewers' API.</summary>
    public const string DefaultReviewPrefix = "/teenmode/v1/review";

    private const int MaxEvidence = 20;

    /// <summary>
    /// Maps the reviewers' workflow (triage, action, reject, close, overdue list). Staff endpoints: the group requires the
    /// policy <see cref="TeenModeAuthorizationOptions.ReportReviewerPolicy"/> (default <see cref="TeenModePolicies.ReportReviewer"/>),
    /// which the app registers; unauthenticated requests get <c>401</c>, others without the policy <c>403</c>.
    /// </summary>
    /// <exception cref="TeenModeConfigurationException">The policy is not registered (default policy provider).</exception>
    public static RouteGroupBuilder MapTeenModeReportReview(this IEndpointRouteBuilder endpoints, string prefix = DefaultReviewPrefix)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var review = endpoints.MapGroup(prefix).WithExceptionBoundary().WithTeenModeFailClosed().WithCommonProblems().RequireStaffPolicy(endpoints, o => o.ReportReviewerPolicy, "report review");
        review.MapGet("/reports/overdue", async (IReportReview r, CancellationToken ct) =>
        {
            var overdue = await r.ListOverdueAsync(ct);
            return Json.Ok(new { count = overdue.Count, reports = overdue.Select(ReportingDto.Review) });
        }).WithTags("reports").Answers(200, 401, 403);
        review.MapGet("/reports/{reportId}", async (string reportId, IReportingChannel channel, CancellationToken ct) =>
            await channel.GetViewAsync(reportId, ct) is { } view ? Json.Ok(ReportingDto.Review(view)) : UnknownReport()).WithTags("reports").Answers(200, 401, 403, 404);
        review.MapPost("/reports/{reportId}/triage", (string reportId, HttpRequest request, IReportReview r, CancellationToken ct) =>
            StepAsync(request, reportId, "triage", r, ct)).Body<ReportStepBody>().WithTags("reports").Answers(200, 401, 403, 404, 409);
        review.MapPost("/reports/{reportId}/action", (string reportId, HttpRequest request, IReportReview r, CancellationToken ct) =>
            StepAsync(request, reportId, "action", r, ct)).Body<ReportStepBody>().WithTags("reports").Answers(200, 401, 403, 404, 409);
        review.MapPost("/reports/{reportId}/reject", (string reportId, HttpRequest request, IReportReview r, CancellationToken ct) =>
            StepAsync(request, reportId, "reject", r, ct)).Body<ReportStepBody>().WithTags("reports").Answers(200, 401, 403, 404, 409);
        review.MapPost("/reports/{reportId}/close", (string reportId, HttpRequest request, IReportReview r, CancellationToken ct) =>
            StepAsync(request, reportId, "close", r, ct)).Body<ReportStepBody>().WithTags("reports").Answers(200, 401, 403, 404, 409);
        return review;
    }

    internal static void MapPublic(RouteGroupBuilder api)
    {
        api.MapPost("/reports", FileReportAsync).Body<FileReportBody>().WithTags("reports").Answers(201, 409, 422);
        api.MapGet("/reports/{reportId}", ReadReportAsync).WithTags("reports").Answers(200, 403, 404);
        api.MapGet("/subjects/{subjectId}/reports", async (string subjectId, IReportingChannel channel, Subjects.ISubjectStore subjects, CancellationToken ct) =>
        {
            if (await subjects.GetAsync(subjectId, ct) is null)
            {
                return Json.UnknownSubject();
            }

            var views = await channel.ListForSubjectAsync(subjectId, ct);
            return Json.Ok(new { count = views.Count, reports = views.Select(ReportingDto.Public) });
        }).WithTags("reports").Answers(200, 404);
    }

    /// <summary>Runs one workflow step for the conformance driver and the review API; <paramref name="step"/> is triage, action, reject or close.</summary>
    internal static async Task<IResult> StepAsync(HttpRequest request, string reportId, string step, IReportReview review, CancellationToken ct, string? fixedActor = null)
    {
        var (body, problem) = await Json.ReadObjectAsync(request, optional: fixedActor is not null);
        if (problem is not null)
        {
            return problem;
        }

        var f = new FieldReader(body!);
        var actor = fixedActor ?? f.String("actor", maxLength: 128);
        string? reason = null;
        List<(ReportActionKind, string)>? actions = null;
        if (step == "reject")
        {
            reason = f.String("reason", maxLength: 64);
            if (reason is not null && !ReasonPattern().IsMatch(reason))
            {
                f.Add("reason", "must be a short kebab-case code such as no-violation, not free text / 须为简短的代码（如 no-violation），不可为自由文本");
            }
        }
        else if (step == "action")
        {
            actions = ReadActions(body!, f);
        }

        if (!f.Ok)
        {
            return Json.Invalid(f.Errors);
        }

        var decision = step switch
        {
            "triage" => await review.TriageAsync(reportId, actor!, ct),
            "action" => await review.ActAsync(reportId, actor!, actions!, ct),
            "reject" => await review.RejectAsync(reportId, actor!, reason!, ct),
            "close" => await review.CloseAsync(reportId, actor!, ct),
            _ => throw new ArgumentOutOfRangeException(nameof(step), step, "Unknown workflow step."),
        };
        return StepResult(decision);
    }

    // The reader is the user asking, as the app's own sign-in knows it: an app that fronts this API fills it from its session.
    private static async Task<IResult> ReadReportAsync(string reportId, string? readerId, IReportingChannel channel, IReportVisibility visibility, CancellationToken ct)
    {
        if (await channel.GetViewAsync(reportId, ct) is not { } view)
        {
            return UnknownReport();
        }

        var visible = await visibility.CheckAsync(view, readerId, ct);
        return visible.IsAllowed
            ? Json.Ok(ReportingDto.Public(view))
            : Json.Problem(StatusCodes.Status403Forbidden, visible.Reason.Value, "无权查看该举报", "You may not read this report",
                "Only the reporter (readerId) and the bound guardians of the minor it concerns may read it.");
    }

    internal static IResult UnknownReport() =>
        Json.Problem(StatusCodes.Status404NotFound, ReasonCode.UnknownReport.Value, "举报不存在", "No such report");

    private static IResult StepResult(Decision decision)
    {
        if (decision.IsAllowed)
        {
            return Json.Ok(Dto.Of(decision));
        }

        if (decision.Reason == ReasonCode.UnknownReport)
        {
            return UnknownReport();
        }

        return decision.Reason == ReasonCode.ReportActionFailed
            ? Json.Problem(StatusCodes.Status424FailedDependency, decision.Reason.Value, "处置措施未能执行", "The app could not carry out the action",
                "Nothing was recorded; the report stays triaged.")
            : Json.Problem(StatusCodes.Status409Conflict, decision.Reason.Value, "当前状态不允许此操作", "The report's status does not allow this step",
                "Order: received → triaged → actioned or rejected → closed.");
    }

    private static List<(ReportActionKind, string)>? ReadActions(JObject body, FieldReader f)
    {
        if (body["actions"] is not JArray { Count: > 0 and <= 10 } array)
        {
            f.Add("actions", "must be an array of 1 to 10 {kind, targetId} objects / 须为 1 至 10 个处置措施");
            return null;
        }

        var list = new List<(ReportActionKind, string)>();
        for (var i = 0; i < array.Count; i++)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"actions[{i}]");
            if (array[i] is not JObject item)
            {
                f.Add(name, "must be an object {kind, targetId} / 须为对象");
                continue;
            }

            var inner = new FieldReader(item);
            var kind = inner.Enum<ReportActionKind>("kind", required: true);
            var target = inner.String("targetId", maxLength: 128);
            foreach (var (field, messages) in inner.Errors)
            {
                foreach (var message in messages)
                {
                    f.Add($"{name}.{field}", message);
                }
            }

            if (kind is not null && target is not null)
            {
                list.Add((kind.Value, target));
            }
        }

        return list;
    }

    private static async Task<IResult> FileReportAsync(HttpRequest request, IReportingChannel channel, CancellationToken ct)
    {
        var key = request.Headers["Idempotency-Key"].ToString();
        var (body, problem) = await Json.ReadObjectAsync(request);
        if (problem is not null)
        {
            return problem;
        }

        var f = new FieldReader(body!);
        if (string.IsNullOrWhiteSpace(key) || key.Length > 200)
        {
            f.Add("Idempotency-Key", "header is required (1 to 200 characters) / 缺少 Idempotency-Key 请求头");
        }

        var kind = f.Enum<ReporterKind>("reporterKind", required: true);
        var reporterId = f.String("reporterId", required: false, maxLength: 128);
        if (kind == ReporterKind.Anonymous && reporterId is not null)
        {
            f.Add("reporterId", "must be absent for an anonymous report / 匿名举报不得填写举报人");
        }

        var category = f.Enum<ReportCategory>("category", required: true);
        var targetKind = f.String("targetKind", maxLength: 16);
        if (targetKind is not null and not "content" and not "user")
        {
            f.Add("targetKind", "must be content or user / 取值应为 content 或 user");
        }

        var targetId = f.String("targetId", maxLength: 128);
        var description = f.String("description", required: false, maxLength: 4000);
        var subjectId = f.String("subjectId", required: false, maxLength: 128);
        var evidence = ReadEvidence(body!, f);
        if (!f.Ok)
        {
            return Json.Invalid(f.Errors);
        }

        var filing = await channel.FileAsync(
            new ReportSubmission(kind!.Value, reporterId, category!.Value, targetKind!, targetId!, description),
            new ReportContext(subjectId, evidence),
            key,
            ct);
        if (filing.Receipt is null)
        {
            var refusal = filing.Refusal!;
            if (refusal.Reason == ReasonCode.UnknownSubject)
            {
                return Json.Problem(StatusCodes.Status422UnprocessableEntity, refusal.Reason.Value, "举报涉及的未成年人不存在", "The minor named in the report is unknown",
                    "Nothing was stored.", new Dictionary<string, string[]> { ["subjectId"] = ["is not a known subject / 用户不存在"] });
            }

            return refusal.Reason == ReasonCode.IdempotencyKeyReused
                ? Json.Problem(StatusCodes.Status409Conflict, refusal.Reason.Value, "幂等键已用于另一份举报", "The idempotency key was used for a different report",
                    "Use a new Idempotency-Key for a new report; the earlier report is unchanged.")
                : Json.Problem(StatusCodes.Status403Forbidden, refusal.Reason.Value, "举报被拒绝", "The report was refused", $"Reason: {refusal.Reason.Value}.");
        }

        if (filing.Replayed)
        {
            request.HttpContext.Response.Headers["Idempotent-Replayed"] = "true";
        }

        return Json.Ok(Dto.Of(filing.Receipt), filing.Replayed ? StatusCodes.Status200OK : StatusCodes.Status201Created);
    }

    private static string[] ReadEvidence(JObject body, FieldReader f)
    {
        var token = body["evidence"];
        if (token is null || token.Type == JTokenType.Null)
        {
            return [];
        }

        if (token is not JArray array || array.Count > MaxEvidence
            || array.Any(e => e.Type != JTokenType.String || string.IsNullOrWhiteSpace((string?)e) || ((string)e!).Length > 256))
        {
            f.Add("evidence", string.Create(CultureInfo.InvariantCulture,
                $"must be an array of at most {MaxEvidence} references (1 to 256 characters each) / 证据须为不超过 {MaxEvidence} 个引用的数组"));
            return [];
        }

        return array.Select(e => (string)e!).ToArray();
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex ReasonPattern();
}
