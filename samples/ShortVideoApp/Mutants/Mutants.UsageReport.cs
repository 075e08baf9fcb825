using Microsoft.Extensions.DependencyInjection.Extensions;
using TeenMode.ParentalControl;

namespace ShortVideoApp;

// Guardian usage report mutant (issue 3): the report is served, but the gates' denials never show in it.
public static partial class Mutants
{
    private static MutantInfo[] UsageReportMutants =>
    [
        new("blocked-attempts-not-counted", "The guardian usage report never shows a blocked attempt: denials are not counted.", ["PC-USAGE-REPORT"]),
    ];

    private static bool TryApplyUsageReport(IServiceCollection services, string name)
    {
        if (name != "blocked-attempts-not-counted")
        {
            return false;
        }

        // Denials are counted in memory before any store sees them, so a forgetful store alone would not hide them.
        var original = services.Last(d => d.ServiceType == typeof(IGuardianUsageReports));
        services.Replace(ServiceDescriptor.Singleton<IGuardianUsageReports>(sp =>
            new BlindReports((IGuardianUsageReports)ActivatorUtilities.CreateInstance(sp, original.ImplementationType!))));
        return true;
    }

    private sealed class BlindReports(IGuardianUsageReports inner) : IGuardianUsageReports
    {
        public async Task<GuardianUsageReportResult> GetAsync(string subjectId, string guardianId, DateOnly firstDay, DateOnly lastDay, CancellationToken cancellationToken = default)
        {
            var result = await inner.GetAsync(subjectId, guardianId, firstDay, lastDay, cancellationToken);
            return result.Report is { } report
                ? result with { Report = report with { Blocked = [], BlockedByReason = new Dictionary<string, long>(StringComparer.Ordinal) } }
                : result;
        }
    }
}
