using TeenMode.ContentPool;
using TeenMode.Reporting;
using TeenMode.Subjects;

namespace TeenMode.AspNetCore.Internal;

/// <summary>Wire shapes of the HTTP API (docs/http-api.md).</summary>
internal static class Dto
{
    public static object Of(Decision d) => new
    {
        outcome = WireNames.Of(d.Outcome),
        allowed = d.IsAllowed,
        reasonCode = d.Reason.Value,
        requirementIds = d.RequirementIds,
        remainingSeconds = d.Details.RemainingSeconds,
        retryAt = d.Details.RetryAt,
    };

    public static object Of(SubjectStatus s) => new
    {
        subjectId = s.Subject.Id,
        teenMode = s.Subject.TeenMode,
        band = s.Rules.Band.Id,
        age = s.Age,
        ageSource = WireNames.Of(s.Subject.AgeSource),
        realName = WireNames.Of(s.Subject.RealName),
        deviceMinorMode = s.Subject.DeviceMinorMode,
    };

    public static object Of(ContentItem i) => new
    {
        id = i.Id,
        title = i.Title,
        category = i.Category,
        bands = i.SuitableBands.Select(b => b.Id),
        mayAffectMinors = i.MayAffectMinors,
        format = ContentFile.FormatWireName(i.Format),
        flags = ContentFile.FlagWireNames(i.Flags),
        popularity = i.Popularity,

        // Normal mode shows may-affect items only behind this prominent notice (teen mode never gets them).
        notice = i.MayAffectMinors ? ReasonCode.MayAffectMinorsNotice.Value : null,
    };

    public static object Of(ReportReceipt r) => new
    {
        reportId = r.ReportId,
        status = WireNames.Of(r.Status),
        receivedAt = r.ReceivedAt,
    };

    public static object Of(ReportRecord r) => new
    {
        reportId = r.Id,
        status = WireNames.Of(r.Status),
        category = WireNames.Of(r.Submission.Category),
        receivedAt = r.ReceivedAt,
    };
}
