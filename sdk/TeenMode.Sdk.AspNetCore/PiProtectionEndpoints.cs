using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Newtonsoft.Json.Linq;
using TeenMode.AspNetCore.Internal;
using TeenMode.PersonalInfo;

namespace TeenMode.AspNetCore;

/// <summary>Personal-information protection over HTTP (issue 5): staff access to minors' data and the incident (breach) flow.</summary>
public static class PiProtectionEndpoints
{
    /// <summary>The default prefix of the staff (admin) API.</summary>
    public const string DefaultAdminPrefix = "/teenmode/v1/pi-admin";

    /// <summary>
    /// Maps staff access (request, approve, refuse, read) and the incident flow (declare, notify, report, authority report).
    /// Staff endpoints that return minors' personal data: the group requires the policy
    /// <see cref="TeenModeAuthorizationOptions.PiAdminPolicy"/> (default <see cref="TeenModePolicies.PiAdmin"/>), which the app registers.
    /// </summary>
    /// <exception cref="TeenModeConfigurationException">The policy is not registered (default policy provider).</exception>
    public static RouteGroupBuilder MapTeenModePiAdmin(this IEndpointRouteBuilder endpoints, string prefix = DefaultAdminPrefix)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var admin = endpoints.MapGroup(prefix).WithExceptionBoundary().WithTeenModeFailClosed().WithCommonProblems().RequireStaffPolicy(endpoints, o => o.PiAdminPolicy, "personal-information admin");
        admin.MapPost("/staff-access/requests", RequestAccessAsync).Body<StaffAccessRequestBody>().WithTags("pi-protection").Answers(201, 401, 403, 404);
        admin.MapGet("/staff-access/requests/{grantId}", async (string grantId, IStaffAccess access, CancellationToken ct) =>
            await access.GetAsync(grantId, ct) is { } grant ? Json.Ok(Grant(grant)) : NotPending()).WithTags("pi-protection").Answers(200, 401, 403, 404);
        admin.MapPost("/staff-access/requests/{grantId}/approve", (string grantId, HttpRequest request, IStaffAccess access, CancellationToken ct) =>
            DecideAsync(grantId, request, access, approve: true, ct)).Body<StaffAccessDecisionBody>().WithTags("pi-protection").Answers(200, 401, 403, 404, 409);
        admin.MapPost("/staff-access/requests/{grantId}/refuse", (string grantId, HttpRequest request, IStaffAccess access, CancellationToken ct) =>
            DecideAsync(grantId, request, access, approve: false, ct)).Body<StaffAccessDecisionBody>().WithTags("pi-protection").Answers(200, 401, 403, 404, 409);
        admin.MapGet("/staff-access/subjects/{subjectId}/data", ReadAsync).WithTags("pi-protection").Answers(200, 401, 403, 404);

        admin.MapPost("/breaches", DeclareAsync).Body<DeclareBreachBody>().WithTags("pi-protection").Answers(201, 401, 403, 422);
        admin.MapGet("/breaches/{incidentId}", async (string incidentId, IBreachResponse breaches, CancellationToken ct) =>
            await breaches.GetAsync(incidentId, ct) is { } view ? Json.Ok(Breach(view)) : UnknownBreach()).WithTags("pi-protection").Answers(200, 401, 403, 404);
        admin.MapPost("/breaches/{incidentId}/notify", (string incidentId, HttpRequest request, IBreachResponse breaches, CancellationToken ct) =>
            StepAsync(incidentId, request, breaches, notify: true, ct)).Body<BreachStepBody>().WithTags("pi-protection").Answers(200, 401, 403, 404, 409);
        admin.MapPost("/breaches/{incidentId}/report", (string incidentId, HttpRequest request, IBreachResponse breaches, CancellationToken ct) =>
            StepAsync(incidentId, request, breaches, notify: false, ct)).Body<BreachStepBody>().WithTags("pi-protection").Answers(200, 401, 403, 404, 409);
        admin.MapGet("/breaches/{incidentId}/authority-report", async (string incidentId, IBreachResponse breaches, CancellationToken ct) =>
            await breaches.GetAsync(incidentId, ct) is { } view ? Json.Ok(BreachResponse.AuthorityReport(view)) : UnknownBreach()).WithTags("pi-protection").Answers(200, 401, 403, 404);
        return admin;
    }

    /// <summary>The guardian's inbox of incident notices about a minor.</summary>
    internal static void MapPublic(RouteGroupBuilder api) =>
        api.MapGet("/subjects/{subjectId}/breach-notices", async (string subjectId, IBreachResponse breaches, Subjects.ISubjectStore subjects, CancellationToken ct) =>
        {
            if (await subjects.GetAsync(subjectId, ct) is null)
            {
                return Json.UnknownSubject();
            }

            var notices = await breaches.ListNoticesForSubjectAsync(subjectId, ct);
            return Json.Ok(new { count = notices.Count, notices = notices.Select(Notice) });
        }).WithTags("pi-protection").Answers(200, 404);

    private static async Task<IResult> RequestAccessAsync(HttpRequest request, IStaffAccess access, CancellationToken ct)
    {
        var (body, problem) = await Json.ReadObjectAsync(request);
        if (problem is not null)
        {
            return problem;
        }

        var f = new FieldReader(body!);
        var staffId = f.String("staffId", maxLength: 128);
        var subjectId = f.String("subjectId", maxLength: 128);
        var purpose = Code(f, "purpose");
        var justification = f.String("justification", maxLength: 2000);
        if (!f.Ok)
        {
            return Json.Invalid(f.Errors);
        }

        var result = await access.RequestAsync(new StaffAccessRequest(staffId!, subjectId!, purpose!, justification!), ct);
        return result.Decision.IsAllowed
            ? Json.Ok(Grant(result.Grant!), StatusCodes.Status201Created)
            : Json.Problem(StatusCodes.Status422UnprocessableEntity, result.Decision.Reason.Value, "该未成年人不存在", "The minor is unknown", "Nothing was stored.",
                new Dictionary<string, string[]> { ["subjectId"] = ["is not a known subject / 用户不存在"] });
    }

    private static async Task<IResult> DecideAsync(string grantId, HttpRequest request, IStaffAccess access, bool approve, CancellationToken ct)
    {
        var (body, problem) = await Json.ReadObjectAsync(request);
        if (problem is not null)
        {
            return problem;
        }

        var f = new FieldReader(body!);
        var approverId = f.String("approverId", maxLength: 128);
        var reason = approve ? null : Code(f, "reason");
        if (!f.Ok)
        {
            return Json.Invalid(f.Errors);
        }

        var result = approve ? await access.ApproveAsync(grantId, approverId!, ct) : await access.RefuseAsync(grantId, approverId!, reason!, ct);
        if (result.Decision.IsAllowed)
        {
            return Json.Ok(Grant(result.Grant!));
        }

        return result.Decision.Reason == ReasonCode.StaffApproverNotAllowed
            ? Json.Problem(StatusCodes.Status403Forbidden, result.Decision.Reason.Value, "审批人须为申请人以外的负责人", "The approver must be a responsible person other than the requester")
            : NotPending();
    }

    private static async Task<IResult> ReadAsync(string subjectId, string? staffId, IStaffAccess access, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(staffId) || staffId.Length > 128)
        {
            return Json.Invalid(new Dictionary<string, string[]> { ["staffId"] = ["query parameter is required (1 to 128 characters) / 缺少工作人员标识"] });
        }

        var read = await access.ReadAsync(staffId, subjectId, ct);
        if (!read.Decision.IsAllowed)
        {
            return Json.Problem(StatusCodes.Status403Forbidden, read.Decision.Reason.Value, "未获批准，不得查阅未成年人个人信息",
                "No approved, unexpired grant: a minor's personal information cannot be read", "Request access and have a responsible person approve it; the attempt was logged.");
        }

        return Json.Ok(new { subjectId, grantId = read.Grant!.Id, expiresAt = read.Grant.ExpiresAt, data = read.Data });
    }

    private static async Task<IResult> DeclareAsync(HttpRequest request, IBreachResponse breaches, CancellationToken ct)
    {
        var (body, problem) = await Json.ReadObjectAsync(request);
        if (problem is not null)
        {
            return problem;
        }

        var f = new FieldReader(body!);
        var actor = f.String("actor", maxLength: 128);
        var occurredText = f.String("occurredAt", maxLength: 40);
        var instantErrors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var occurredAt = WireDates.Instant(occurredText, "occurredAt", instantErrors) ?? default;
        foreach (var message in instantErrors.Values.SelectMany(m => m))
        {
            f.Add("occurredAt", message);
        }

        var categories = Codes(body!, f, "categories", required: true);
        var affected = Affected(body!, f);
        var cause = f.String("cause", maxLength: 2000);
        var harm = f.String("harm", maxLength: 2000);
        var remedies = f.String("remedies", maxLength: 2000);
        var contact = f.String("contact", maxLength: 256);
        if (!f.Ok)
        {
            return Json.Invalid(f.Errors);
        }

        var result = await breaches.DeclareAsync(new BreachDeclaration(occurredAt, categories!, affected!, cause!, harm!, remedies!, contact!), actor!, ct);
        return result.Decision.IsAllowed
            ? Json.Ok(Breach(result.View!), StatusCodes.Status201Created)
            : Json.Problem(StatusCodes.Status422UnprocessableEntity, result.Decision.Reason.Value, "受影响的未成年人不存在", "An affected minor is unknown", "Nothing was stored.",
                new Dictionary<string, string[]> { ["affectedSubjects"] = ["names a subject that is not known / 含有不存在的用户"] });
    }

    private static async Task<IResult> StepAsync(string incidentId, HttpRequest request, IBreachResponse breaches, bool notify, CancellationToken ct)
    {
        var (body, problem) = await Json.ReadObjectAsync(request);
        if (problem is not null)
        {
            return problem;
        }

        var f = new FieldReader(body!);
        var actor = f.String("actor", maxLength: 128);
        if (!f.Ok)
        {
            return Json.Invalid(f.Errors);
        }

        var result = notify ? await breaches.NotifyAsync(incidentId, actor!, ct) : await breaches.ReportAsync(incidentId, actor!, ct);
        if (result.Decision.IsAllowed)
        {
            return Json.Ok(Breach(result.View!));
        }

        if (result.Decision.Reason == ReasonCode.UnknownBreach)
        {
            return UnknownBreach();
        }

        return result.Decision.Reason == ReasonCode.BreachNoticesPending
            ? Json.Problem(StatusCodes.Status503ServiceUnavailable, result.Decision.Reason.Value, "部分监护人通知尚未送达，将保留并重试", "Some guardian notices could not be delivered yet; they stay queued",
                "Call notify again later; delivered notices are not sent twice.")
            : Json.Problem(StatusCodes.Status409Conflict, result.Decision.Reason.Value, "事件当前状态不允许此操作", "The incident's status does not allow this step",
                "Order: declared → notified → reported.");
    }

    private static List<BreachAffectedSubject>? Affected(JObject body, FieldReader f)
    {
        if (body["affectedSubjects"] is not JArray { Count: > 0 and <= 10_000 } array)
        {
            f.Add("affectedSubjects", "must be an array of 1 to 10000 {subjectId, categories?} objects / 须列出受影响的未成年人");
            return null;
        }

        var list = new List<BreachAffectedSubject>();
        for (var i = 0; i < array.Count; i++)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"affectedSubjects[{i}]");
            if (array[i] is not JObject item)
            {
                f.Add(name, "must be an object {subjectId, categories?} / 须为对象");
                continue;
            }

            var inner = new FieldReader(item);
            var subjectId = inner.String("subjectId", maxLength: 128);
            var categories = Codes(item, inner, "categories", required: false);
            foreach (var (field, messages) in inner.Errors)
            {
                foreach (var message in messages)
                {
                    f.Add($"{name}.{field}", message);
                }
            }

            if (subjectId is not null && inner.Ok)
            {
                list.Add(new BreachAffectedSubject(subjectId, categories ?? []));
            }
        }

        return list;
    }

    private static List<string>? Codes(JObject body, FieldReader f, string name, bool required)
    {
        var token = body[name];
        if (token is null || token.Type == JTokenType.Null)
        {
            if (required)
            {
                f.Add(name, "is required / 必填");
            }

            return null;
        }

        if (token is not JArray { Count: > 0 and <= 50 } array || array.Any(c => c.Type != JTokenType.String || !BreachResponse.IsCategoryCode((string?)c)))
        {
            f.Add(name, "must be an array of 1 to 50 kebab-case category codes such as birth-date / 须为数据类别代码数组");
            return null;
        }

        return array.Select(c => (string)c!).ToList();
    }

    private static string? Code(FieldReader f, string name)
    {
        var value = f.String(name, maxLength: 64);
        if (value is not null && !BreachResponse.IsCategoryCode(value))
        {
            f.Add(name, "must be a short kebab-case code, not free text / 须为简短代码");
            return null;
        }

        return value;
    }

    private static object Grant(StaffAccessGrant g) => new
    {
        grantId = g.Id,
        staffId = g.StaffId,
        subjectId = g.SubjectId,
        purpose = g.Purpose,
        status = g.Status.ToString().ToLowerInvariant(),
        requestedAt = g.RequestedAt,
        approverId = g.ApproverId,
        decidedAt = g.DecidedAt,
        expiresAt = g.ExpiresAt,
    };

    private static object Breach(BreachView v) => new
    {
        incidentId = v.Incident.Id,
        status = BreachResponse.Wire(v.Incident.Status),
        declaredAt = v.Incident.DeclaredAt,
        notifiedAt = v.Incident.NotifiedAt,
        reportedAt = v.Incident.ReportedAt,
        categories = v.Incident.Facts.Categories,
        affectedSubjectCount = v.Incident.Facts.AffectedSubjects.Count,
        noticeCount = v.Notices.Count,
        noticesSent = v.Notices.Count(n => n.SentAt is not null),
        notices = v.Notices.Select(Notice),
    };

    private static object Notice(BreachNotice n) => new
    {
        noticeId = n.Id,
        incidentId = n.IncidentId,
        subjectId = n.SubjectId,
        recipientKind = n.RecipientKind,
        recipientId = n.RecipientId,
        text = new Dictionary<string, string> { ["zh-CN"] = n.Text.ZhCn, ["en"] = n.Text.En },
        createdAt = n.CreatedAt,
        sentAt = n.SentAt,
        attempts = n.Attempts,
    };

    private static IResult NotPending() =>
        Json.Problem(StatusCodes.Status409Conflict, ReasonCode.StaffAccessNotPending.Value, "访问申请不存在或已处理", "The access request is unknown or already decided");

    private static IResult UnknownBreach() =>
        Json.Problem(StatusCodes.Status404NotFound, ReasonCode.UnknownBreach.Value, "安全事件不存在", "No such incident");
}
