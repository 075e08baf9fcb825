using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using TeenMode.AspNetCore.Internal;
using TeenMode.Rules;
using TeenMode.Spending;

namespace TeenMode.AspNetCore;

/// <summary>Spending outside online games (issue 3): payments against the caps per band and category, statements, and refund requests.</summary>
public static partial class TeenModeSpendingEndpoints
{
    /// <summary>The longest time range one statement may cover.</summary>
    private static readonly TimeSpan MaxStatementRange = TimeSpan.FromDays(366);

    /// <summary>
    /// Maps the platform's refund decisions (read, approve, refuse). Staff endpoints: the group requires the policy
    /// <see cref="TeenModeAuthorizationOptions.RefundReviewerPolicy"/> (default <see cref="TeenModePolicies.RefundReviewer"/>), which the app registers.
    /// </summary>
    /// <exception cref="TeenModeConfigurationException">The policy is not registered (default policy provider).</exception>
    public static RouteGroupBuilder MapTeenModeRefundReview(this IEndpointRouteBuilder endpoints, string prefix = ReportingEndpoints.DefaultReviewPrefix)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var review = endpoints.MapGroup(prefix).WithExceptionBoundary().WithTeenModeFailClosed().WithCommonProblems().RequireStaffPolicy(endpoints, o => o.RefundReviewerPolicy, "refund review");
        review.MapGet("/refund-requests/{refundId}", GetRefundAsync).WithTags("spending").Answers(200, 401, 403, 404);
        review.MapPost("/refund-requests/{refundId}/approve", (string refundId, HttpRequest request, IRefundDesk desk, CancellationToken ct) =>
            DecideAsync(request, refundId, approve: true, actorFromBody: true, desk, ct)).Body<RefundDecisionBody>().WithTags("spending").Answers(200, 401, 403, 404, 409);
        review.MapPost("/refund-requests/{refundId}/refuse", (string refundId, HttpRequest request, IRefundDesk desk, CancellationToken ct) =>
            DecideAsync(request, refundId, approve: false, actorFromBody: true, desk, ct)).Body<RefundDecisionBody>().WithTags("spending").Answers(200, 401, 403, 404, 409);
        return review;
    }

    internal static void MapSpending(RouteGroupBuilder api)
    {
        api.MapPost("/subjects/{subjectId}/spends", SpendAsync).Body<SpendBody>().WithTags("spending").Answers(200, 403, 404, 409);
        api.MapGet("/subjects/{subjectId}/spends", StatementAsync).WithTags("spending").Answers(200, 404);
        api.MapPost("/subjects/{subjectId}/spends/{spendId}/refund-requests", FileRefundAsync).Body<RefundRequestBody>().WithTags("spending").Answers(201, 403, 404, 409);
        api.MapGet("/refund-requests/{refundId}", GetRefundAsync).WithTags("spending").Answers(200, 404);
    }

    /// <summary>Approves or refuses a refund request; shared by the staff API and the conformance driver.</summary>
    internal static async Task<IResult> DecideAsync(HttpRequest request, string refundId, bool approve, bool actorFromBody, IRefundDesk desk, CancellationToken ct,
        string? actor = null)
    {
        var (body, problem) = await Json.ReadObjectAsync(request, optional: !actorFromBody);
        if (problem is not null)
        {
            return problem;
        }

        var f = new FieldReader(body!);
        actor = actorFromBody ? f.String("actor", maxLength: 128) : actor;
        var reason = f.String("reason", required: false, maxLength: 1000);
        if (!f.Ok)
        {
            return Json.Invalid(f.Errors);
        }

        var result = approve ? await desk.ApproveAsync(refundId, actor!, reason, ct) : await desk.RefuseAsync(refundId, actor!, reason, ct);
        var reasonCode = result.Decision.Reason;
        if (reasonCode == ReasonCode.UnknownRefundRequest)
        {
            return UnknownRefund();
        }

        if (reasonCode == ReasonCode.RefundReasonRequired)
        {
            return Json.Problem(StatusCodes.Status400BadRequest, reasonCode.Value, "拒绝退款须写明理由", "A refusal needs a written reason",
                "Nothing changed; send the reason the guardian will read.",
                new Dictionary<string, string[]> { ["reason"] = ["is required to refuse a refund / 拒绝退款须填写理由"] });
        }

        if (reasonCode == ReasonCode.RefundTransitionNotAllowed)
        {
            return Json.Problem(StatusCodes.Status409Conflict, reasonCode.Value, "该退款申请已处理", "The refund request was already decided",
                $"It is {Wire(result.Request!.Status)}; nothing changed.");
        }

        return Json.Ok(Refund(result.Request!, allowed: true, reasonCode.Value));
    }

    // Money travels as text ("50.00"), never as a JSON number, so no binary float ever touches it.
    [GeneratedRegex(@"^(0|[1-9][0-9]{0,8})(\.[0-9]{1,2})?$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex MoneyText();

    private static async Task<IResult> SpendAsync(string subjectId, HttpRequest request, ISpendingGate gate, RulePack pack, CancellationToken ct)
    {
        var (body, problem) = await Json.ReadObjectAsync(request);
        if (problem is not null)
        {
            return problem;
        }

        var f = new FieldReader(body!);
        var category = f.String("category", maxLength: 64);
        var amountText = f.String("amount", maxLength: 16);
        var itemId = f.String("itemId", required: false, maxLength: 128);
        var rules = pack.Spending;
        if (category is not null && (rules is null || !rules.IsCategory(category)))
        {
            f.Add("category", $"must be one of {string.Join(", ", rules?.Categories ?? [])} (online games use /games/top-ups) / 消费类别无效");
        }

        decimal amount = 0;
        if (amountText is not null
            && (!MoneyText().IsMatch(amountText) || (amount = decimal.Parse(amountText, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture)) <= 0))
        {
            f.Add("amount", "must be a positive amount as text with at most two decimals, e.g. \"50.00\" / 金额须为正数文本，最多两位小数，如 \"50.00\"");
        }

        // Optional, but a client that may retry a payment should send one: the retry is then counted once.
        var key = request.Headers["Idempotency-Key"].ToString();
        if (key.Length > 200)
        {
            f.Add("Idempotency-Key", "header must be at most 200 characters / Idempotency-Key 请求头最多 200 个字符");
        }

        if (!f.Ok)
        {
            return Json.Invalid(f.Errors);
        }

        var result = await gate.SpendAsync(new SpendRequest(subjectId, category!, amount, itemId, key.Length == 0 ? null : key), ct);
        var d = result.Decision;
        if (d.Reason == ReasonCode.UnknownSubject)
        {
            return Json.UnknownSubject();
        }

        if (d.Reason == ReasonCode.IdempotencyKeyReused)
        {
            return Json.Problem(StatusCodes.Status409Conflict, d.Reason.Value, "幂等键已用于另一笔支付", "The idempotency key was used for another payment",
                "Use a new Idempotency-Key for a new payment; nothing was counted.");
        }

        if (result.Replayed)
        {
            request.HttpContext.Response.Headers["Idempotent-Replayed"] = "true";
        }

        return Json.Ok(new
        {
            outcome = WireNames.Of(d.Outcome),
            allowed = d.IsAllowed,
            reasonCode = d.Reason.Value,
            requirementIds = d.RequirementIds,
            spendId = result.Spend?.Id,
            category,
            currency = rules!.Currency,
            localDate = result.LocalDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            month = result.Month,
            dayTotal = Money(result.Totals?.Day),
            monthTotal = Money(result.Totals?.Month),
            caps = result.Caps is { } caps
                ? new
                {
                    perTransaction = Money(caps.PerTransaction),
                    perDay = Money(caps.PerDay),
                    perMonth = Money(caps.PerMonth),
                    basis = caps.Basis == SpendingBasis.Regulation ? "regulation" : "platform-default",
                }
                : null,
        });
    }

    private static async Task<IResult> StatementAsync(string subjectId, string? since, string? until, ISpendingGate gate, TimeProvider time, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var end = WireDates.Instant(until, "until", errors) ?? time.GetUtcNow();
        var start = WireDates.Instant(since, "since", errors) ?? end - TimeSpan.FromDays(31);
        if (errors.Count == 0 && (end < start || end - start > MaxStatementRange))
        {
            errors["until"] = ["must be after 'since' and at most 366 days later / 结束时间须晚于开始时间且跨度不超过 366 天"];
        }

        if (errors.Count > 0)
        {
            return Json.Invalid(errors);
        }

        var statement = await gate.GetStatementAsync(subjectId, start, end, ct);
        if (statement is null)
        {
            return Json.UnknownSubject();
        }

        return Json.Ok(new
        {
            subjectId,
            since = Instant(statement.From),
            until = Instant(statement.To),
            currency = statement.Currency,
            count = statement.Spends.Count,
            total = Money(statement.Spends.Where(s => s.RefundedAt is null).Sum(s => s.Amount)),
            spends = statement.Spends.Select(s => new
            {
                spendId = s.Id,
                category = s.Category,
                amount = Money(s.Amount),
                itemId = s.ItemId,
                spentAt = Instant(s.SpentAt),
                localDate = s.LocalDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                refunded = s.RefundedAt is not null,
                refundedAt = s.RefundedAt is { } r ? Instant(r) : null,
            }),
            refunds = statement.Refunds.Select(r => Refund(r)),
        });
    }

    private static async Task<IResult> FileRefundAsync(string subjectId, string spendId, HttpRequest request, IRefundDesk desk, CancellationToken ct)
    {
        var (body, problem) = await Json.ReadObjectAsync(request);
        if (problem is not null)
        {
            return problem;
        }

        var f = new FieldReader(body!);
        var guardianId = f.String("guardianId", maxLength: 128);
        var reason = f.String("reason", required: false, maxLength: 1000);
        if (!f.Ok)
        {
            return Json.Invalid(f.Errors);
        }

        var result = await desk.FileAsync(subjectId, spendId, guardianId!, reason, ct);
        var code = result.Decision.Reason;
        if (code == ReasonCode.UnknownSubject)
        {
            return Json.UnknownSubject();
        }

        if (code == ReasonCode.UnknownSpend)
        {
            return Json.Problem(StatusCodes.Status404NotFound, code.Value, "消费记录不存在", "No such spend",
                $"Subject '{subjectId}' has no spend '{spendId}'; nothing was filed.");
        }

        if (code == ReasonCode.NoGuardianBound)
        {
            return Json.Problem(StatusCodes.Status403Forbidden, code.Value, "只有已绑定的监护人可以申请退款", "Only a bound guardian may request a refund",
                "Bind the guardian to the subject first; nothing was filed.");
        }

        return Json.Ok(Refund(result.Request!, allowed: true, code.Value), result.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    private static async Task<IResult> GetRefundAsync(string refundId, IRefundDesk desk, CancellationToken ct) =>
        await desk.GetAsync(refundId, ct) is { } refund ? Json.Ok(Refund(refund)) : UnknownRefund();

    private static object Refund(RefundRequest r, bool? allowed = null, string? reasonCode = null) => new
    {
        allowed,
        reasonCode,
        refundId = r.Id,
        spendId = r.SpendId,
        subjectId = r.SubjectId,
        guardianId = r.GuardianId,
        amount = Money(r.Amount),
        status = Wire(r.Status),
        filedAt = Instant(r.FiledAt),
        dueAt = Instant(r.DueAt),
        decidedAt = r.DecidedAt is { } at ? Instant(at) : null,
        decisionReason = r.DecisionReason,
    };

    private static string Wire(RefundStatus status) => status switch
    {
        RefundStatus.Pending => "pending",
        RefundStatus.Approved => "approved",
        _ => "refused",
    };

    private static string Instant(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    private static string? Money(decimal? value) => value?.ToString("0.00", CultureInfo.InvariantCulture);


    private static IResult UnknownRefund() =>
        Json.Problem(StatusCodes.Status404NotFound, ReasonCode.UnknownRefundRequest.Value, "退款申请不存在", "No such refund request");
}
