using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TeenMode.AntiAddiction;
using TeenMode.ParentalControl;
using TeenMode.Rules;
using TeenMode.Sqlite;
using TeenMode.Storage;
using TeenMode.Testing;
using TeenMode.Tests.Stores;

namespace TeenMode.Tests.Core;

/// <summary>Denials are counted in memory and reach the store in batches, off the request path (issue 15).</summary>
public sealed class BlockedAttemptRecorderTests
{
    private static readonly DateOnly Born2013 = new(2013, 1, 1);
    private static readonly DateOnly Friday = new(2026, 3, 6);
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Denials_WriteNothingOnTheRequestPath_YetTheReportCountsThemAtOnce()
    {
        var store = new CountingStore();
        using var host = CurfewHost(store, out _);
        await host.RegisterAsync("kid", Born2013);
        await host.Parental.BindAsync("kid", "mum", "246810");

        for (var i = 0; i < 3; i++)
        {
            (await host.Usage.CheckAsync("kid")).Reason.Should().Be(ReasonCode.Curfew);
        }

        store.Batches.Should().Be(0, "a denial must not wait for a database write");
        (await CurfewCountAsync(host)).Should().Be(3);
    }

    [Fact]
    public async Task AFlush_AddsThePendingCountsInOneBatch_AndTheReportNeitherLosesNorDoublesThem()
    {
        var store = new CountingStore();
        using var host = CurfewHost(store, out var flushClock);
        await host.RegisterAsync("kid", Born2013);
        await host.Parental.BindAsync("kid", "mum", "246810");
        for (var i = 0; i < 3; i++)
        {
            await host.Usage.CheckAsync("kid");
        }

        // The app's clock stands still; only the flush clock moves.
        flushClock.Advance(Interval);

        store.Batches.Should().Be(1);
        (await store.GetAsync("kid", Friday, Friday)).Should().Equal(new BlockedAttemptCount(Friday, "usage", ReasonCode.Curfew, 3));
        (await CurfewCountAsync(host)).Should().Be(3);

        await host.Usage.CheckAsync("kid");
        (await CurfewCountAsync(host)).Should().Be(4);
        flushClock.Advance(Interval);
        (await store.GetAsync("kid", Friday, Friday)).Single().Count.Should().Be(4);
        (await CurfewCountAsync(host)).Should().Be(4);
    }

    [Fact]
    public async Task AFailingStore_KeepsTheCounts_AndGetsThemWhenItIsBack()
    {
        var store = new CountingStore { Failing = true };
        using var host = CurfewHost(store, out var flushClock);
        await host.RegisterAsync("kid", Born2013);
        await host.Parental.BindAsync("kid", "mum", "246810");
        await host.Usage.CheckAsync("kid");
        await host.Usage.CheckAsync("kid");

        flushClock.Advance(Interval);
        flushClock.Advance(Interval);

        store.FailedBatches.Should().Be(2, "each interval retries");
        (await store.GetAsync("kid", Friday, Friday)).Should().BeEmpty();
        (await CurfewCountAsync(host)).Should().Be(2);

        store.Failing = false;
        flushClock.Advance(Interval);

        (await store.GetAsync("kid", Friday, Friday)).Single().Count.Should().Be(2);
        (await CurfewCountAsync(host)).Should().Be(2);
    }

    [Fact]
    public async Task HundredParallelDenials_AreAllCounted_InTheReportAndInTheStore()
    {
        var store = new CountingStore();
        using var host = CurfewHost(store, out var flushClock);
        await host.RegisterAsync("kid", Born2013);
        await host.Parental.BindAsync("kid", "mum", "246810");

        var decisions = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Task.Run(() => host.Usage.CheckAsync("kid"))));

        decisions.Should().OnlyContain(d => d.Reason == ReasonCode.Curfew);
        (await CurfewCountAsync(host)).Should().Be(100);
        flushClock.Advance(Interval);
        (await store.GetAsync("kid", Friday, Friday)).Single().Count.Should().Be(100);
    }

    [Fact]
    public async Task DenialsRacingFlushes_AreEachStoredExactlyOnce()
    {
        var store = new CountingStore();
        await using var recorder = Recorder(store, new FakeTimeProvider(DateTimeOffset.UnixEpoch));
        var curfew = Decision.Deny(ReasonCode.Curfew);
        var limit = Decision.Deny(ReasonCode.DailyLimitReached);
        var night = TeenModeHost.Local(2026, 3, 6, 23, 0);
        using var stop = new CancellationTokenSource();

        // Keys go idle and are retired while others keep counting: no count may fall between a retired and a new counter.
        var flusher = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await recorder.FlushAsync();
            }
        });
        await Task.WhenAll(Enumerable.Range(0, 4).Select(worker => Task.Run(() =>
        {
            for (var i = 0; i < 20_000; i++)
            {
                // Each worker stays on a subject for a while, then moves on: keys keep going idle and coming back.
                recorder.RecordIfDenied($"kid-{((i / 64) + (worker * 13)) % 40}", night.AddDays(i % 2), BlockedAttemptRecorder.Usage, (i + worker) % 3 == 0 ? limit : curfew);
            }
        })));
        await stop.CancelAsync();
        await flusher;
        (await recorder.FlushAsync()).Should().BeTrue();

        long stored = 0, reported = 0;
        for (var kid = 0; kid < 40; kid++)
        {
            stored += (await store.GetAsync($"kid-{kid}", Friday, Friday.AddDays(1))).Sum(r => r.Count);
            reported += (await recorder.GetAsync($"kid-{kid}", Friday, Friday.AddDays(1), default)).Sum(r => r.Count);
        }

        stored.Should().Be(80_000);
        reported.Should().Be(80_000);
    }

    [Fact]
    public async Task PastTheKeyCap_NewKeysAreNotCounted_HeldKeysStillAre_UntilAFlushMakesRoom()
    {
        var store = new CountingStore { Failing = true };
        await using var recorder = Recorder(store, new FakeTimeProvider(DateTimeOffset.UnixEpoch), maxPendingKeys: 2);
        var curfew = Decision.Deny(ReasonCode.Curfew);
        var night = TeenModeHost.Local(2026, 3, 6, 23, 0);

        foreach (var kid in new[] { "a", "b", "c", "a" })
        {
            recorder.RecordIfDenied(kid, night, BlockedAttemptRecorder.Usage, curfew);
        }

        (await Counts(recorder, "a", "b", "c")).Should().Equal(2, 1, 0);

        // The store is back: the first flush writes, the next retires the idle keys, and a new key counts again.
        store.Failing = false;
        (await recorder.FlushAsync()).Should().BeTrue();
        (await recorder.FlushAsync()).Should().BeTrue();
        recorder.RecordIfDenied("c", night, BlockedAttemptRecorder.Usage, curfew);
        (await Counts(recorder, "a", "b", "c")).Should().Equal(2, 1, 1);
    }

    [Fact]
    public void ADenialUnderAHeldKey_AllocatesNothing()
    {
        using var recorder = Recorder(new CountingStore(), new FakeTimeProvider(DateTimeOffset.UnixEpoch));
        var curfew = Decision.Deny(ReasonCode.Curfew);
        var night = TeenModeHost.Local(2026, 3, 6, 23, 0);
        recorder.RecordIfDenied("kid", night, BlockedAttemptRecorder.Usage, curfew);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            recorder.RecordIfDenied("kid", night.AddSeconds(i), BlockedAttemptRecorder.Usage, curfew);
        }

        GC.GetAllocatedBytesForCurrentThread().Should().Be(before);
    }

    [Fact]
    public async Task TheDefaultFlush_RunsOnTheRealClock_WhileTheAppClockIsFrozen()
    {
        var store = new CountingStore();
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 22, 5), o => o.BlockedAttemptFlushInterval = TimeSpan.FromMilliseconds(20),
            services => services.AddSingleton<IBlockedAttemptStore>(store));
        await host.RegisterAsync("kid", Born2013);
        await host.Usage.CheckAsync("kid");

        // The host's FakeTimeProvider never moves here, as the conformance clock stands still while frozen.
        var deadline = TimeProvider.System.GetUtcNow() + TimeSpan.FromSeconds(10);
        while (store.Batches == 0 && TimeProvider.System.GetUtcNow() < deadline)
        {
            await Task.Delay(10);
        }

        (await store.GetAsync("kid", Friday, Friday)).Should().Equal(new BlockedAttemptCount(Friday, "usage", ReasonCode.Curfew, 1));
    }

    [Fact]
    public async Task DisposingTheServices_FlushesWhatIsPending_SoAGracefulShutdownKeepsTheCounts()
    {
        using var database = new TempDatabase();
        await using (var first = SqliteServices(database.Path))
        {
            await first.GetRequiredService<TeenMode.Subjects.ISubjectService>().RegisterAsync(new("kid", Born2013));
            for (var i = 0; i < 3; i++)
            {
                (await first.GetRequiredService<IUsageGate>().CheckAsync("kid")).Reason.Should().Be(ReasonCode.Curfew);
            }

            (await first.GetRequiredService<IBlockedAttemptStore>().GetAsync("kid", Friday, Friday)).Should().BeEmpty("the flush interval is a minute");
        }

        await using var second = SqliteServices(database.Path);
        (await second.GetRequiredService<IBlockedAttemptStore>().GetAsync("kid", Friday, Friday))
            .Should().Equal(new BlockedAttemptCount(Friday, "usage", ReasonCode.Curfew, 3));
    }

    [Fact]
    public async Task DisposingTheServicesSynchronously_FlushesToo()
    {
        var store = new CountingStore();
        using (var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 22, 5), o => o.BlockedAttemptFlushInterval = TimeSpan.FromMinutes(1),
            services => services.AddSingleton<IBlockedAttemptStore>(store)))
        {
            await host.RegisterAsync("kid", Born2013);
            await host.Usage.CheckAsync("kid");
        }

        (await store.GetAsync("kid", Friday, Friday)).Single().Count.Should().Be(1);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(61_000)]
    public void Options_FlushIntervalOutOfRange_FailValidation(int milliseconds)
    {
        using var provider = new ServiceCollection()
            .AddTeenMode(o => o.BlockedAttemptFlushInterval = TimeSpan.FromMilliseconds(milliseconds)).Services.BuildServiceProvider();

        var read = () => provider.GetRequiredService<IOptions<TeenModeOptions>>().Value;

        read.Should().Throw<OptionsValidationException>().WithMessage("*BlockedAttemptFlushInterval*");
    }

    // Friday 22:05 in Shanghai, inside the curfew; the recorder flushes on its own fake clock.
    private static TeenModeHost CurfewHost(IBlockedAttemptStore store, out FakeTimeProvider flushClock)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        flushClock = clock;
        return new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 22, 5), addServices: services =>
        {
            services.AddSingleton(store);
            services.Replace(ServiceDescriptor.Singleton(sp => new BlockedAttemptRecorder(store, sp.GetRequiredService<RulePack>(),
                sp.GetRequiredService<IOptions<TeenModeOptions>>(), clock)));
        });
    }

    private static BlockedAttemptRecorder Recorder(IBlockedAttemptStore store, TimeProvider flushClock, int maxPendingKeys = BlockedAttemptRecorder.DefaultMaxPendingKeys) =>
        new(store, RulePackLoader.LoadEmbedded(RulePackLoader.DefaultPackId), Options.Create(new TeenModeOptions()), flushClock, null, maxPendingKeys);

    private static ServiceProvider SqliteServices(string path)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(TeenModeHost.Local(2026, 3, 6, 22, 5).ToUniversalTime()));
        services.AddTeenMode(o =>
        {
            o.PinIterations = 100_000;
            o.BlockedAttemptFlushInterval = TimeSpan.FromMinutes(1);
        }).UseSqlite(path);
        return services.BuildServiceProvider();
    }

    private static async Task<long> CurfewCountAsync(TeenModeHost host)
    {
        var report = (await host.Services.GetRequiredService<IGuardianUsageReports>().GetAsync("kid", "mum", Friday, Friday)).Report!;
        return report.BlockedByReason.GetValueOrDefault(ReasonCode.Curfew.Value);
    }

    private static async Task<long[]> Counts(BlockedAttemptRecorder recorder, params string[] subjects)
    {
        var counts = new List<long>();
        foreach (var subject in subjects)
        {
            counts.Add((await recorder.GetAsync(subject, Friday, Friday, default)).Sum(r => r.Count));
        }

        return [.. counts];
    }

    /// <summary>An in-memory store that counts batch writes and can be made to fail them.</summary>
    private sealed class CountingStore : IBlockedAttemptStore
    {
        private readonly InMemoryBlockedAttemptStore _inner = new();
        private int _batches;
        private int _failedBatches;

        public bool Failing { get; set; }

        public int Batches => Volatile.Read(ref _batches);

        public int FailedBatches => Volatile.Read(ref _failedBatches);

        public Task AddAsync(IReadOnlyCollection<BlockedAttemptIncrement> increments, CancellationToken cancellationToken = default)
        {
            if (Failing)
            {
                Interlocked.Increment(ref _failedBatches);
                throw new InvalidOperationException("The store is down.");
            }

            Interlocked.Increment(ref _batches);
            return _inner.AddAsync(increments, cancellationToken);
        }

        public Task<IReadOnlyList<BlockedAttemptCount>> GetAsync(string subjectId, DateOnly firstDay, DateOnly lastDay, CancellationToken cancellationToken = default) =>
            _inner.GetAsync(subjectId, firstDay, lastDay, cancellationToken);
    }
}
