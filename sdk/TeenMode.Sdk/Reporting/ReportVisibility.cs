using TeenMode.ParentalControl;

namespace TeenMode.Reporting;

/// <summary>
/// Who may read a report's status. A report filed under a reporter's id is readable by that reporter and by the
/// guardians bound to the minor it concerns, and by nobody else. A report filed without a reporter's id (anonymous, or
/// the app did not name the reporter) has no identity to compare: its receipt (the report id) is the only credential.
/// </summary>
public interface IReportVisibility
{
    /// <summary>
    /// Allowed when <paramref name="readerId"/> (the id of the user asking, as the app's own sign-in knows it; never
    /// taken from the report) may read <paramref name="view"/>; otherwise denied with <see cref="ReasonCode.ReportNotVisible"/>.
    /// </summary>
    Task<Decision> CheckAsync(ReportView view, string? readerId, CancellationToken cancellationToken = default);
}

internal sealed class ReportVisibility(IGuardianStore guardians) : IReportVisibility
{
    private static readonly string[] RequirementIds = ["REG-MINOR-07", "MPL-72"];

    public async Task<Decision> CheckAsync(ReportView view, string? readerId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(view);
        if (view.Report.Submission.ReporterId is not { } reporterId)
        {
            return Decision.Allow();
        }

        if (string.IsNullOrEmpty(readerId))
        {
            return Decision.Deny(ReasonCode.ReportNotVisible, RequirementIds);
        }

        if (string.Equals(readerId, reporterId, StringComparison.Ordinal))
        {
            return Decision.Allow();
        }

        if (view.Tracking.Context.SubjectId is { } subjectId)
        {
            var bound = await guardians.GetForSubjectAsync(subjectId, cancellationToken).ConfigureAwait(false);
            if (bound.Any(b => string.Equals(b.GuardianId, readerId, StringComparison.Ordinal)))
            {
                return Decision.Allow();
            }
        }

        return Decision.Deny(ReasonCode.ReportNotVisible, RequirementIds);
    }
}
