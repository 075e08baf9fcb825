using Microsoft.Extensions.DependencyInjection.Extensions;
using TeenMode;
using TeenMode.ParentalControl;

namespace ShortVideoApp;

// Guardian usage report mutant (issue 3): the report is served, but the gates' denials are never counted.
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

        services.Replace(ServiceDescriptor.Singleton<IBlockedAttemptStore>(new ForgetfulBlockedAttempts()));
        return true;
    }

    private sealed class ForgetfulBlockedAttempts : IBlockedAttemptStore
    {
        public Task RecordAsync(string subjectId, DateOnly day, string kind, ReasonCode reason, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task<IReadOnlyList<BlockedAttemptCount>> GetAsync(string subjectId, DateOnly firstDay, DateOnly lastDay, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<BlockedAttemptCount>>([]);
    }
}
