using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TeenMode.AntiAddiction;
using TeenMode.ContentPool;
using TeenMode.ParentalControl;
using TeenMode.Spending;
using TeenMode.Storage;
using TeenMode.Subjects;

namespace TeenMode.Tests.Core;

/// <summary>Every gate denies with store-unavailable when the store fails or does not answer within StoreTimeout.</summary>
public sealed class FailClosedTests
{
    private static readonly DateOnly Born2013 = new(2013, 5, 1);

    public enum Fault
    {
        Throws,
        Hangs,
    }

    [Theory]
    [InlineData(Fault.Throws)]
    [InlineData(Fault.Hangs)]
    public async Task EveryGate_DeniesWithStoreUnavailable_WhenTheSubjectStoreFails(Fault fault)
    {
        var subjects = new FaultySubjects();
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 20, 30), addServices: s =>
        {
            s.RemoveAll<ISubjectStore>();
            s.AddSingleton<ISubjectStore>(subjects);
        });
        await host.RegisterAsync("kid", Born2013);
        await host.Catalog.UpsertAsync(ContentSeed.LoadSample());
        var item = (await host.Content.GetFeedAsync("kid", null, 1))!.Items[0].Id;
        subjects.Fault = fault;

        var decisions = new Dictionary<string, Task<Decision>>(StringComparer.Ordinal)
        {
            ["usage check"] = host.Usage.CheckAsync("kid"),
            ["heartbeat"] = host.Usage.RecordHeartbeatAsync(new Heartbeat("kid", "phone", 1, 60)),
            ["game play"] = host.Games.CheckPlayAsync("kid"),
            ["game top-up"] = Decision(host.Games.TopUpAsync(new GameTopUp("kid", "g1", 10m))),
            ["spend"] = Decision(host.Services.GetRequiredService<ISpendingGate>().SpendAsync(new SpendRequest("kid", "video", 1m))),
            ["feature"] = host.Services.GetRequiredService<IFeatureGate>().CheckAsync("kid", "comments"),
            ["content"] = host.Content.CheckAsync("kid", item),
            ["placement"] = host.Content.CheckPlacementAsync("kid", item, ContentPlacement.HotList),
        };

        if (fault == Fault.Hangs)
        {
            // Nothing answers until the deadline passes.
            await Task.Delay(50);
            decisions.Where(d => d.Value.IsCompleted).Select(d => d.Key).Should().BeEmpty("a hanging store is waited for up to StoreTimeout");
            host.Clock.Advance(TimeSpan.FromSeconds(2));
        }

        foreach (var (gate, pending) in decisions)
        {
            var decision = await pending.WaitAsync(TimeSpan.FromSeconds(10));
            decision.Reason.Should().Be(ReasonCode.StoreUnavailable, gate);
            decision.IsAllowed.Should().BeFalse(gate);
        }

        subjects.Release();
    }

    [Fact]
    public async Task AStoreThatAnswersBeforeTheDeadline_IsWaitedFor()
    {
        var subjects = new FaultySubjects();
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 10), addServices: s =>
        {
            s.RemoveAll<ISubjectStore>();
            s.AddSingleton<ISubjectStore>(subjects);
        });
        await host.RegisterAsync("kid", Born2013);
        subjects.Fault = Fault.Hangs;
        var pending = host.Usage.CheckAsync("kid");
        await Task.Delay(50);
        host.Clock.Advance(TimeSpan.FromSeconds(1.9));
        subjects.Release();

        (await pending.WaitAsync(TimeSpan.FromSeconds(10))).IsAllowed.Should().BeTrue("1.9 s is within the 2 s StoreTimeout");
    }

    [Fact]
    public void StoreTimeout_OutOfRange_IsAConfigurationError()
    {
        var act = () => new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 10), o => o.StoreTimeout = TimeSpan.Zero).Usage;
        act.Should().Throw<Exception>().Where(e => e.ToString().Contains(nameof(TeenModeOptions.StoreTimeout), StringComparison.Ordinal));
    }

    private static async Task<Decision> Decision(Task<GameTopUpResult> result) => (await result).Decision;

    private static async Task<Decision> Decision(Task<SpendResult> result) => (await result).Decision;

    private sealed class FaultySubjects : ISubjectStore
    {
        private readonly InMemorySubjectStore _inner = new();
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Fault? Fault { get; set; }

        public void Release() => _release.TrySetResult();

        public Task<bool> TryAddAsync(Subject subject, CancellationToken cancellationToken = default) => _inner.TryAddAsync(subject, cancellationToken);

        public async Task<Subject?> GetAsync(string subjectId, CancellationToken cancellationToken = default)
        {
            switch (Fault)
            {
                case FailClosedTests.Fault.Throws:
                    throw new InvalidOperationException("The database is locked.");
                case FailClosedTests.Fault.Hangs:
                    await _release.Task;
                    break;
            }

            return await _inner.GetAsync(subjectId, cancellationToken);
        }

        public Task<bool> SetTeenModeAsync(string subjectId, bool teenMode, CancellationToken cancellationToken = default) =>
            _inner.SetTeenModeAsync(subjectId, teenMode, cancellationToken);

        public Task<bool> SetAgeAsync(string subjectId, DateOnly? birthDate, AgeBand? declaredBand, AgeSource source, CancellationToken cancellationToken = default) =>
            _inner.SetAgeAsync(subjectId, birthDate, declaredBand, source, cancellationToken);

        public Task<bool> SetRealNameAsync(string subjectId, RealNameStatus status, string? playerId, DateOnly? birthDate, CancellationToken cancellationToken = default) =>
            _inner.SetRealNameAsync(subjectId, status, playerId, birthDate, cancellationToken);

        public Task<bool> SetDeviceMinorModeAsync(string subjectId, string deviceId, bool minorModeOn, CancellationToken cancellationToken = default) =>
            _inner.SetDeviceMinorModeAsync(subjectId, deviceId, minorModeOn, cancellationToken);
    }
}
