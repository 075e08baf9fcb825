using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Newtonsoft.Json.Linq;
using TeenMode.AspNetCore.Internal;
using TeenMode.PersonalInfo;

namespace TeenMode.AspNetCore;

/// <summary>Personal-information endpoints (issue 5): inventory, collection, guardian consent, data-subject requests, account closure.</summary>
internal static class PersonalInfoEndpoints
{
    private const int MaxValueLength = 4096;

    public static void Map(RouteGroupBuilder root)
    {
        var api = root.MapGroup(string.Empty);

        // A value that fails its integrity check is never returned; the caller gets a clear error instead.
        api.AddEndpointFilter(async (context, next) =>
        {
            try
            {
                return await next(context);
            }
            catch (PersonalDataIntegrityException)
            {
                return Json.Problem(StatusCodes.Status500InternalServerError, ReasonCode.PersonalDataIntegrity.Value, "个人信息完整性校验失败", "Stored personal data failed its integrity check",
                    "A stored value was altered or cannot be decrypted; it was not returned. Nothing was changed by this request after the check failed.");
            }
        });
        api.MapGet("/personal-info/inventory", (IPersonalInfo pi) => Json.Ok(Inventory(pi.Inventory))).WithTags("personal-info").Answers(200);
        api.MapGet("/subjects/{subjectId}/personal-info/collection-check", CheckAsync).WithTags("personal-info").Answers(200, 404);
        api.MapPost("/subjects/{subjectId}/personal-info/values", CollectAsync).Body<CollectValueBody>().WithTags("personal-info").Answers(201, 403, 404);
        api.MapPost("/subjects/{subjectId}/personal-info/consents", ConsentAsync).Body<ConsentBody>().WithTags("personal-info").Answers(201, 403, 404);
        api.MapPost("/subjects/{subjectId}/personal-info/consents/withdraw", WithdrawAsync).Body<WithdrawConsentBody>().WithTags("personal-info").Answers(200, 403, 404);
        api.MapPost("/subjects/{subjectId}/personal-info/requests", RequestAsync).Body<DataSubjectRequestBody>().WithTags("personal-info").Answers(201, 403, 404);
        api.MapGet("/subjects/{subjectId}/personal-info/requests/{requestId}", async (string subjectId, string requestId, IPersonalInfo pi, CancellationToken ct) =>
            await pi.GetRequestAsync(subjectId, requestId, ct) is { } r
                ? Json.Ok(Receipt(r, null, null))
                : Json.Problem(StatusCodes.Status404NotFound, ReasonCode.UnknownDataSubjectRequest.Value, "申请不存在", "No such request")).WithTags("personal-info").Answers(200, 404);
        api.MapPost("/subjects/{subjectId}/personal-info/account-closure", async (string subjectId, IPersonalInfo pi, CancellationToken ct) =>
            await pi.CloseAccountAsync(subjectId, ct) is { } deleted ? Json.Ok(new { deleted = Deleted(deleted) }) : Json.UnknownSubject()).WithTags("personal-info").Answers(200, 404);
    }

    private static async Task<IResult> CheckAsync(string subjectId, string? field, string? purpose, IPersonalInfo pi, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(field))
        {
            errors["field"] = ["is required / 必填"];
        }

        if (string.IsNullOrWhiteSpace(purpose))
        {
            errors["purpose"] = ["is required / 必填"];
        }

        if (errors.Count > 0)
        {
            return Json.Invalid(errors);
        }

        var d = await pi.CheckCollectionAsync(subjectId, field!, purpose!, ct);
        return d.Reason == ReasonCode.UnknownSubject ? Json.UnknownSubject() : Json.Ok(Dto.Of(d));
    }

    private static async Task<IResult> CollectAsync(string subjectId, HttpRequest request, IPersonalInfo pi, CancellationToken ct)
    {
        var (body, problem) = await Json.ReadObjectAsync(request);
        if (problem is not null)
        {
            return problem;
        }

        var f = new FieldReader(body!);
        var field = f.String("field", maxLength: 64);
        var purpose = f.String("purpose", maxLength: 64);
        var value = f.String("value", maxLength: MaxValueLength);
        if (!f.Ok)
        {
            return Json.Invalid(f.Errors);
        }

        var d = await pi.CollectAsync(subjectId, field!, purpose!, value!, ct);
        if (d.Reason == ReasonCode.UnknownSubject)
        {
            return Json.UnknownSubject();
        }

        return d.IsAllowed
            ? Json.Ok(Dto.Of(d), StatusCodes.Status201Created)
            : Json.Problem(StatusCodes.Status403Forbidden, d.Reason.Value, "不得收集该个人信息", "This personal information may not be collected",
                $"Field '{field}' for purpose '{purpose}': {d.Reason.Value}; requirements: {string.Join(", ", d.RequirementIds)}. Nothing was stored.");
    }

    private static async Task<IResult> ConsentAsync(string subjectId, HttpRequest request, IPersonalInfo pi, CancellationToken ct)
    {
        var (body, problem) = await Json.ReadObjectAsync(request);
        if (problem is not null)
        {
            return problem;
        }

        var f = new FieldReader(body!);
        var guardianId = f.String("guardianId", maxLength: 128);
        var decisionText = f.String("decision", required: false, maxLength: 16) ?? "granted";
        var noticeHash = f.String("noticeHash", maxLength: 64);
        var purposes = Purposes(body!, f);
        if (decisionText is not ("granted" or "refused"))
        {
            f.Add("decision", "must be granted or refused (withdraw with /consents/withdraw) / 取值须为 granted 或 refused");
        }

        if (noticeHash is not null && !(noticeHash.Length == 64 && noticeHash.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'))))
        {
            f.Add("noticeHash", "must be the lower-case hex SHA-256 (64 digits) of the privacy notice shown / 须为隐私告知文本的 SHA-256 小写十六进制摘要");
        }

        if (!f.Ok)
        {
            return Json.Invalid(f.Errors);
        }

        var outcome = await pi.RecordConsentAsync(new ConsentRequest(subjectId, guardianId!,
            decisionText == "granted" ? ConsentDecision.Granted : ConsentDecision.Refused, purposes!, noticeHash!), ct);
        return ConsentResult(outcome, StatusCodes.Status201Created);
    }

    private static async Task<IResult> WithdrawAsync(string subjectId, HttpRequest request, IPersonalInfo pi, CancellationToken ct)
    {
        var (body, problem) = await Json.ReadObjectAsync(request);
        if (problem is not null)
        {
            return problem;
        }

        var f = new FieldReader(body!);
        var guardianId = f.String("guardianId", maxLength: 128);
        var purposes = Purposes(body!, f);
        return f.Ok ? ConsentResult(await pi.WithdrawConsentAsync(subjectId, guardianId!, purposes!, ct), StatusCodes.Status200OK) : Json.Invalid(f.Errors);
    }

    private static async Task<IResult> RequestAsync(string subjectId, HttpRequest request, IPersonalInfo pi, CancellationToken ct)
    {
        var (body, problem) = await Json.ReadObjectAsync(request);
        if (problem is not null)
        {
            return problem;
        }

        var f = new FieldReader(body!);
        var kind = f.Enum<DataSubjectRequestKind>("kind", required: true);
        var requesterId = f.String("requesterId", maxLength: 128);
        var correction = kind == DataSubjectRequestKind.Correction;
        var field = f.String("field", required: correction, maxLength: 64);
        var purpose = f.String("purpose", required: correction, maxLength: 64);
        var value = f.String("value", required: correction, maxLength: MaxValueLength);
        if (!f.Ok)
        {
            return Json.Invalid(f.Errors);
        }

        var outcome = await pi.SubmitRequestAsync(new DataSubjectRequestSubmission(subjectId, kind!.Value, requesterId!, field, purpose, value), ct);
        return outcome is null ? Json.UnknownSubject() : Json.Ok(Receipt(outcome.Request, outcome.Export, outcome.Deleted), StatusCodes.Status201Created);
    }

    private static List<string>? Purposes(JObject body, FieldReader f)
    {
        if (body["purposes"] is not JArray array || array.Count == 0 || array.Count > 32)
        {
            f.Add("purposes", "must be a non-empty array of purpose ids (at most 32) / 须为非空的用途数组");
            return null;
        }

        var purposes = new List<string>();
        foreach (var item in array)
        {
            if (item.Type != JTokenType.String || string.IsNullOrWhiteSpace((string?)item) || ((string)item!).Length > 64)
            {
                f.Add("purposes", $"'{item}' is not a purpose id / 用途无效");
                return null;
            }

            purposes.Add((string)item!);
        }

        return purposes;
    }

    private static IResult ConsentResult(ConsentOutcome outcome, int okStatus)
    {
        var d = outcome.Decision;
        if (d.Reason == ReasonCode.UnknownSubject)
        {
            return Json.UnknownSubject();
        }

        if (d.Reason == ReasonCode.PurposeNotDeclared)
        {
            return Json.Problem(StatusCodes.Status400BadRequest, d.Reason.Value, "用途未在数据清单中声明", "A purpose is not declared in the data inventory",
                "Every purpose must be one of GET /personal-info/inventory; nothing was recorded.");
        }

        if (!d.IsAllowed || outcome.Record is not { } r)
        {
            return Json.Problem(StatusCodes.Status403Forbidden, d.Reason.Value, "只有已绑定的监护人可以作出同意决定", "Only a bound guardian can decide on consent",
                "Bind the guardian first; nothing was recorded.");
        }

        return Json.Ok(new
        {
            consentId = r.Id,
            decision = WireNames.Of(r.Decision),
            purposes = r.Purposes,
            guardianId = r.GuardianId,
            noticeHash = r.NoticeHash,
            at = r.At,
            deleted = outcome.Deleted is { } del ? Deleted(del) : null,
        }, okStatus);
    }

    private static object Deleted(DeletionSummary d) => new { count = d.Count, fields = d.Fields, categories = d.Categories };

    private static object Receipt(DataSubjectRequestRecord r, PersonalDataExport? export, DeletionSummary? deleted) => new
    {
        requestId = r.Id,
        subjectId = r.SubjectId,
        kind = WireNames.Of(r.Kind),
        status = WireNames.Of(r.Status),
        receivedAt = r.ReceivedAt,
        dueAt = r.DueAt,
        completedAt = r.CompletedAt,
        refusalReason = r.RefusalReason is { } reason ? new JObject { ["zh-CN"] = reason.ZhCn, ["en"] = reason.En } : null,
        field = r.Field,
        purpose = r.Purpose,
        export = export is null ? null : new
        {
            subjectId = export.SubjectId,
            generatedAt = export.GeneratedAt,
            inventoryId = export.InventoryId,
            valueCount = export.Values.Count,
            values = export.Values.Select(v => new { field = v.Field, purpose = v.Purpose, category = v.Category, value = v.Value, collectedAt = v.CollectedAt, expiresAt = v.ExpiresAt }),
            consents = export.Consents.Select(c => new { consentId = c.Id, guardianId = c.GuardianId, decision = WireNames.Of(c.Decision), purposes = c.Purposes, noticeHash = c.NoticeHash, at = c.At }),
        },
        deleted = deleted is null ? null : Deleted(deleted),
    };

    private static object Inventory(DataInventory i) => new
    {
        id = i.Id,
        version = i.Version,
        noticeVersion = i.NoticeVersion,
        fields = i.Fields.Select(f => new { name = f.Name, category = DataInventoryLoader.CategoryName(f.Category), sensitive = f.IsSensitive }),
        purposes = i.Purposes.Select(p => new
        {
            id = p.Id,
            fields = p.Fields,
            essential = p.Essential,
            offByDefaultForMinors = p.OffByDefaultForMinors,
            retentionDays = (int)p.Retention.TotalDays,
        }),
    };

}
