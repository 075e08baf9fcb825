using Microsoft.Extensions.DependencyInjection.Extensions;
using TeenMode;
using TeenMode.AntiAddiction;
using TeenMode.ContentPool;
using TeenMode.ParentalControl;
using TeenMode.Reporting;
using TeenMode.Rules;
using TeenMode.Sqlite;

namespace ShortVideoApp;

/// <summary>A deliberately broken variant of the sample app and the checks expected to catch it.</summary>
public sealed record MutantInfo(string Name, string Description, IReadOnlyList<string> TargetCheckIds);

/// <summary>
/// Deliberately broken variants of the sample app, each swapping one SDK service for a faulty one.
/// They exist to prove that every harness check can fail; they are never enabled by default.
/// </summary>
public static partial class Mutants
{
    /// <summary>Every mutant.</summary>
    public static IReadOnlyList<MutantInfo> All { get; } =
    [
        new("curfew-ignored", "The usage policy never applies the night curfew.", ["AA-CURFEW-BOUNDARY", "AA-CURFEW-SESSION"]),
        new("curfew-in-utc", "The curfew is computed in UTC instead of the rule pack's time zone.", ["AA-CURFEW-BOUNDARY"]),
        new("rest-reminder-ignored", "The usage policy never reminds a minor to rest.", ["AA-REST-REMINDER"]),
        new("daily-limit-off-by-one", "The daily budget denies only after one minute too many.", ["AA-DAILY-LIMIT"]),
        new("exit-without-verification", "Any guardian PIN verifies, so teen mode can be left without the guardian.", ["PC-EXIT-GUARDIAN", "PC-SETTINGS-BOUNDS"]),
        new("pool-unfiltered", "The content pool allows every item, whatever its bands.", ["CP-OUT-OF-POOL"]),

        // Content pool (issue 4).
        new("band-ignored", "The content policy ignores the suitability bands: any pool item suits every band.", ["CP-FEED-BAND"]),
        new("may-affect-served", "Items that may affect minors are served in teen mode and shown without a notice in normal mode.", ["CP-MAY-AFFECT"]),
        new("hot-list-unfiltered", "Items that may affect minors may go in prominent placements such as the hot list.", ["CP-HOT-LIST"]),
        new("forbidden-topic-allowed", "Fan-fundraising, vote-ranking and traffic-manipulation topics are served in teen mode.", ["CP-FORBIDDEN-TOPIC"]),
        new("ads-in-teen-mode", "Unreviewed advertisements and external links are served in teen mode.", ["CP-ADS-LINKS"]),
        new("audio-not-first", "The youngest band's feed no longer lists audio items first.", ["CP-AUDIO-FIRST"]),
        new("thin-pool", "The catalog drops every item for band 0-3 on import, leaving that band's pool empty.", ["CP-RICHNESS"]),
        new("report-not-idempotent", "Each filing gets a new receipt even with the same idempotency key.", ["RP-RECEIPT-IDEMPOTENT"]),
        .. ReportingMutants.All,
        .. GameMutants,
        .. SpendingMutants,
        .. PiProtectionMutants.All,
        .. GuardianMutants,
        .. PersonalInfoMutants.All,
        .. UsageReportMutants,
        .. LockoutMutants,
        .. ProbeMutants,
        .. FixtureMutants,
        .. AgeAssuranceMutants,
    ];

    /// <summary>Swaps the service that <paramref name="name"/> breaks.</summary>
    /// <exception cref="ArgumentException">No mutant has that name.</exception>
    public static void Apply(IServiceCollection services, string name)
    {
        switch (name)
        {
            case "curfew-ignored":
                services.Replace(ServiceDescriptor.Singleton<IUsagePolicy>(new CurfewIgnoredPolicy(new UsagePolicy())));
                break;
            case "curfew-in-utc":
                services.Replace(ServiceDescriptor.Singleton<IUsagePolicy>(sp => new CurfewInUtcPolicy(new UsagePolicy(), sp.GetRequiredService<RulePack>())));
                break;
            case "rest-reminder-ignored":
                services.Replace(ServiceDescriptor.Singleton<IUsagePolicy>(new NoRestReminderPolicy(new UsagePolicy())));
                break;
            case "daily-limit-off-by-one":
                services.Replace(ServiceDescriptor.Singleton<IUsagePolicy>(new OffByOneBudgetPolicy(new UsagePolicy())));
                break;
            case "exit-without-verification":
                services.Replace(ServiceDescriptor.Singleton<IGuardianVerifier>(new AcceptAnyPinVerifier()));
                break;
            case "pool-unfiltered":
                services.Replace(ServiceDescriptor.Singleton<IContentPool>(sp => new UnfilteredPool(sp.GetRequiredService<IContentCatalog>())));
                break;
            case "band-ignored" or "may-affect-served" or "hot-list-unfiltered" or "forbidden-topic-allowed" or "ads-in-teen-mode" or "audio-not-first" or "thin-pool":
                ApplyContent(services, name);
                break;
            case "report-not-idempotent":
                services.Replace(ServiceDescriptor.Singleton<IReportStore>(sp => new ForgetfulReportStore(sp.GetRequiredService<SqliteReportStore>())));

                // Filing goes through the workflow store since issue 6; forget keys there too.
                services.Replace(ServiceDescriptor.Singleton<IReportWorkflowStore>(sp => ReportingMutants.Forgetful(sp.GetRequiredService<SqliteReportWorkflowStore>())));
                break;
            default:
                if (ReportingMutants.TryApply(services, name) || TryApplyGames(services, name) || TryApplySpending(services, name) || PiProtectionMutants.TryApply(services, name) || TryApplyGuardians(services, name) || PersonalInfoMutants.TryApply(services, name) || TryApplyUsageReport(services, name) || TryApplyLockout(services, name)
                    || TryApplyProbes(services, name) || TryApplyFixtures(services, name) || TryApplyAgeAssurance(services, name))
                {
                    break;
                }

                throw new ArgumentException($"Unknown mutant '{name}'. Known: {string.Join(", ", All.Select(m => m.Name))}.", nameof(name));
        }
    }

    private sealed class CurfewIgnoredPolicy(IUsagePolicy inner) : IUsagePolicy
    {
        public Decision Evaluate(BandRules rules, DateTime localNow, UsageDay day) =>
            inner.Evaluate(rules with { Curfew = rules.Curfew with { End = rules.Curfew.Start } }, localNow, day);
    }

    private sealed class CurfewInUtcPolicy(IUsagePolicy inner, RulePack pack) : IUsagePolicy
    {
        public Decision Evaluate(BandRules rules, DateTime localNow, UsageDay day) =>
            inner.Evaluate(rules, TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(localNow, DateTimeKind.Unspecified), pack.TimeZone), day);
    }

    private sealed class NoRestReminderPolicy(IUsagePolicy inner) : IUsagePolicy
    {
        public Decision Evaluate(BandRules rules, DateTime localNow, UsageDay day)
        {
            var decision = inner.Evaluate(rules, localNow, day);
            return decision.Reason == ReasonCode.RestReminder ? Decision.Allow(decision.Details) : decision;
        }
    }

    private sealed class OffByOneBudgetPolicy(IUsagePolicy inner) : IUsagePolicy
    {
        public Decision Evaluate(BandRules rules, DateTime localNow, UsageDay day) =>
            inner.Evaluate(rules with { DailyMinutes = rules.DailyMinutes with { Value = rules.DailyMinutes.Value + 1 } }, localNow, day);
    }

    private sealed class AcceptAnyPinVerifier : IGuardianVerifier
    {
        public bool Verify(GuardianBinding binding, string pin) => true;
    }

    private sealed class UnfilteredPool(IContentCatalog catalog) : IContentPool
    {
        public Task<Decision> CheckAsync(string subjectId, string itemId, CancellationToken cancellationToken = default) =>
            Task.FromResult(Decision.Allow());

        public async Task<ContentPage?> GetFeedAsync(string subjectId, string? cursor, int limit, CancellationToken cancellationToken = default) =>
            new(await catalog.QueryAsync(new ContentQuery(limit) { AfterId = cursor }, cancellationToken), null);

        public async Task<ContentPage?> GetFeedAsync(string subjectId, FeedRequest request, CancellationToken cancellationToken = default) =>
            new(await catalog.QueryAsync(new ContentQuery(request.Limit) { AfterId = request.Cursor, TitleContains = request.Query }, cancellationToken), null);

        public async Task<ContentPage?> GetHotListAsync(string subjectId, int limit, CancellationToken cancellationToken = default) =>
            new(await catalog.QueryAsync(new ContentQuery(limit), cancellationToken), null);

        public Task<Decision> CheckPlacementAsync(string subjectId, string itemId, ContentPlacement placement, CancellationToken cancellationToken = default) =>
            Task.FromResult(Decision.Allow());
    }

    private sealed class ForgetfulReportStore(IReportStore inner) : IReportStore
    {
        public Task<(ReportRecord Stored, bool Created)> AddOrGetAsync(ReportRecord record, CancellationToken cancellationToken = default) =>
            inner.AddOrGetAsync(record with { IdempotencyKey = record.IdempotencyKey + "#" + record.Id }, cancellationToken);

        public Task<ReportRecord?> GetAsync(string reportId, CancellationToken cancellationToken = default) => inner.GetAsync(reportId, cancellationToken);
    }
}
