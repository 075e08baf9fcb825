using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using TeenMode.Health;
using TeenMode.Reporting;
using TeenMode.Subjects;

namespace TeenMode.Tests.Core;

/// <summary>AddTeenModeHealthChecks on the in-memory stores: healthy, a hanging store is unhealthy by the deadline, a backlog degrades.</summary>
public sealed class HealthCheckTests
{
    [Fact]
    public async Task InMemoryStores_EveryCheckHealthy_AndLiveHasNoStoreCheck()
    {
        await using var services = Build();
        var health = services.GetRequiredService<HealthCheckService>();

        var ready = await health.CheckHealthAsync(r => r.Tags.Contains(TeenModeHealthChecksBuilderExtensions.ReadyTag));
        ready.Status.Should().Be(HealthStatus.Healthy);
        ready.Entries.Keys.Should().BeEquivalentTo(["teenmode-store", "teenmode-rule-packs", "teenmode-authority-outbox"]);
        var live = await health.CheckHealthAsync(r => r.Tags.Contains(TeenModeHealthChecksBuilderExtensions.LiveTag));
        live.Entries.Keys.Should().BeEquivalentTo(["teenmode-process"]);
    }

    [Fact]
    public async Task HangingSubjectStore_StoreCheckUnhealthy_WithinTheStoreTimeout()
    {
        var release = new TaskCompletionSource<Subject?>();
        await using var services = Build(s =>
        {
            s.RemoveAll<ISubjectStore>();
            s.AddSingleton<ISubjectStore>(new HangingSubjects(release.Task));
            s.Configure<TeenModeOptions>(o => o.StoreTimeout = TimeSpan.FromMilliseconds(200));
        });
        var started = System.Diagnostics.Stopwatch.StartNew();

        var report = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        started.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(2));
        report.Entries["teenmode-store"].Status.Should().Be(HealthStatus.Unhealthy);
        report.Entries["teenmode-store"].Exception.Should().BeNull("the probe reports a fixed text, not the failure");
        report.Status.Should().Be(HealthStatus.Unhealthy);
        release.SetResult(null);
    }

    [Fact]
    public async Task OutboxBacklogOverTheThreshold_Degraded_AndOldAgeToo()
    {
        await using var services = Build(s => s.Configure<TeenModeHealthCheckOptions>(o => o.OutboxBacklogDegraded = 1));
        var store = services.GetRequiredService<IReportWorkflowStore>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        await FileNoticeAsync(store, "a", now);

        var one = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        one.Entries["teenmode-authority-outbox"].Status.Should().Be(HealthStatus.Healthy, "one notice, queued just now");

        await FileNoticeAsync(store, "b", now);
        var two = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        two.Entries["teenmode-authority-outbox"].Status.Should().Be(HealthStatus.Degraded);
        two.Entries["teenmode-authority-outbox"].Data["backlog"].Should().Be(2);
        two.Status.Should().Be(HealthStatus.Degraded);

        await using var aged = Build();
        await FileNoticeAsync(aged.GetRequiredService<IReportWorkflowStore>(), "old", now - TimeSpan.FromMinutes(31));
        (await aged.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries["teenmode-authority-outbox"].Status
            .Should().Be(HealthStatus.Degraded, "older than the default 30 minutes");
    }

    private static ServiceProvider Build(Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(Microsoft.Extensions.Logging.Abstractions.NullLogger<>));
        services.AddTeenMode();
        configure?.Invoke(services);
        services.AddHealthChecks().AddTeenModeHealthChecks();
        return services.BuildServiceProvider();
    }

    private static async Task FileNoticeAsync(IReportWorkflowStore store, string id, DateTimeOffset at)
    {
        var record = new ReportRecord(id, "key-" + id, "hash-" + id,
            new ReportSubmission(ReporterKind.Guardian, "parent-1", ReportCategory.SexualExploitation, "user", "stranger-9", null), ReportStatus.Received, at);
        var tracking = new ReportTracking(id, ReportContext.None, at.AddHours(1), at.AddHours(24), true, [], []);
        await store.FileAsync(record, tracking, new AuthorityNotice("ntc-" + id, id, "notice-" + id, "{}", at, 0, at, null, null));
    }

    private sealed class HangingSubjects(Task<Subject?> answer) : ISubjectStore
    {
        public Task<Subject?> GetAsync(string subjectId, CancellationToken cancellationToken = default) => answer;

        public Task<bool> TryAddAsync(Subject subject, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<bool> SetTeenModeAsync(string subjectId, bool teenMode, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<bool> SetAgeAsync(string subjectId, DateOnly? birthDate, AgeBand? declaredBand, AgeSource source, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task<bool> SetRealNameAsync(string subjectId, RealNameStatus status, string? playerId, DateOnly? birthDate, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task<bool> SetDeviceMinorModeAsync(string subjectId, string deviceId, bool minorModeOn, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();
    }
}
