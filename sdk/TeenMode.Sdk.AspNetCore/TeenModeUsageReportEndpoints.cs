using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using TeenMode.AspNetCore.Internal;
using TeenMode.ParentalControl;
using TeenMode.Rules;

namespace TeenMode.AspNetCore;

/// <summary>The guardian usage report: <c>GET /subjects/{id}/usage-report?guardianId=&amp;from=&amp;to=</c>.</summary>
internal static class TeenModeUsageReportEndpoints
{
    public static void MapUsageReport(RouteGroupBuilder api) =>
        api.MapGet("/subjects/{subjectId}/usage-report", GetAsync).WithTags("guardians").Answers(200, 403, 404);

    private static async Task<IResult> GetAsync(string subjectId, string? guardianId, string? from, string? to,
        IGuardianUsageReports reports, RulePack pack, TimeProvider time, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(guardianId))
        {
            errors["guardianId"] = ["is required: the report is for a bound guardian / 必填：报告只提供给已绑定的监护人"];
        }

        var today = DateOnly.FromDateTime(pack.ToLocal(time.GetUtcNow()));
        var last = WireDates.Day(to, "to", errors) ?? today;
        var first = WireDates.Day(from, "from", errors) ?? last.AddDays(-6);
        if (errors.Count == 0 && (last < first || last.DayNumber - first.DayNumber + 1 > GuardianUsageReport.MaxDays))
        {
            errors["to"] = [$"must not be before 'from', and the range covers at most {GuardianUsageReport.MaxDays} days / 结束日期不得早于开始日期，且跨度不超过 {GuardianUsageReport.MaxDays} 天"];
        }

        if (errors.Count > 0)
        {
            return Json.Invalid(errors);
        }

        var result = await reports.GetAsync(subjectId, guardianId!, first, last, ct);
        if (result.Decision.Reason == ReasonCode.UnknownSubject)
        {
            return Json.UnknownSubject();
        }

        if (result.Report is not { } r)
        {
            return Json.Problem(StatusCodes.Status403Forbidden, result.Decision.Reason.Value, "只有已绑定的监护人可以查看使用报告",
                "Only a guardian bound to the subject can read the usage report");
        }

        return Json.Ok(new
        {
            subjectId = r.SubjectId,
            from = Text(r.FirstDay),
            to = Text(r.LastDay),
            timeZone = r.TimeZone,
            currency = r.Currency,
            ageSource = WireNames.Of(r.AgeSource),
            realName = WireNames.Of(r.RealName),
            deviceMinorMode = r.DeviceMinorMode,
            totalMinutes = r.Days.Sum(d => d.Minutes),
            days = r.Days.Select(d => new { day = Text(d.Day), minutes = d.Minutes, byCategory = d.MinutesByCategory }),
            blockedTotal = r.BlockedByReason.Values.Sum(),
            blockedByReason = r.BlockedByReason,
            blocked = r.Blocked.Select(b => new { day = Text(b.Day), kind = b.Kind, reasonCode = b.Reason.Value, count = b.Count }),
            spentTotal = Money(r.SpentTotal),
            payments = r.Payments.Select(p => new
            {
                at = p.At.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
                kind = p.Kind,
                category = p.Category,
                amount = Money(p.Amount),
                refunded = p.Refunded,
            }),
        });
    }

    private static string Text(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Money(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);
}
