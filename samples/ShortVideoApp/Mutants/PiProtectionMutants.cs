using Microsoft.Extensions.DependencyInjection.Extensions;
using TeenMode.PersonalInfo;
using TeenMode.Sqlite;

namespace ShortVideoApp;

/// <summary>Broken pieces of personal-information protection used by <see cref="Mutants"/> (issue 5).</summary>
internal static class PiProtectionMutants
{
    /// <summary>The personal-information mutants.</summary>
    public static IReadOnlyList<MutantInfo> All { get; } =
    [
        new("log-redaction-off", "Log lines are written as they are: identity and phone numbers reach the logs.", ["PI-LOG-REDACTION"]),
        new("breach-notices-dropped", "A declared incident is stored without its guardian notices.", ["PI-BREACH-NOTICES"]),
    ];

    /// <summary>Applies the mutant called <paramref name="name"/>; false when it is not one of these.</summary>
    public static bool TryApply(IServiceCollection services, string name)
    {
        switch (name)
        {
            case "log-redaction-off":
                services.Replace(ServiceDescriptor.Singleton<IRedactor>(new PassThroughRedactor()));
                return true;
            case "breach-notices-dropped":
                services.Replace(ServiceDescriptor.Singleton<IBreachStore>(sp => new NoticeDroppingBreachStore(sp.GetRequiredService<SqliteBreachStore>())));
                return true;
            default:
                return false;
        }
    }

    private sealed class PassThroughRedactor : IRedactor
    {
        public string Text(string text) => text;
    }

    private sealed class NoticeDroppingBreachStore(IBreachStore inner) : IBreachStore
    {
        public Task<bool> AddIncidentAsync(BreachIncident incident, IReadOnlyList<BreachNotice> notices, CancellationToken cancellationToken = default) =>
            inner.AddIncidentAsync(incident, [], cancellationToken);

        public Task<BreachIncident?> GetIncidentAsync(string incidentId, CancellationToken cancellationToken = default) => inner.GetIncidentAsync(incidentId, cancellationToken);

        public Task<IReadOnlyList<BreachNotice>> ListNoticesAsync(string incidentId, CancellationToken cancellationToken = default) => inner.ListNoticesAsync(incidentId, cancellationToken);

        public Task<IReadOnlyList<BreachNotice>> ListNoticesForSubjectAsync(string subjectId, CancellationToken cancellationToken = default) =>
            inner.ListNoticesForSubjectAsync(subjectId, cancellationToken);

        public Task MarkNoticeAsync(string noticeId, int attempts, DateTimeOffset? sentAt, string? lastError, CancellationToken cancellationToken = default) =>
            inner.MarkNoticeAsync(noticeId, attempts, sentAt, lastError, cancellationToken);

        public Task<bool> TransitionIncidentAsync(string incidentId, BreachStatus fromStatus, BreachStatus toStatus, DateTimeOffset at, CancellationToken cancellationToken = default) =>
            inner.TransitionIncidentAsync(incidentId, fromStatus, toStatus, at, cancellationToken);
    }
}
