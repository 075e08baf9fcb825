using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TeenMode.Rules;

namespace TeenMode.ParentalControl;

/// <summary>
/// Counts a gate's denials for the guardian usage report without touching the store on the request path: counters per
/// (subject, local day, kind, reason) live in memory and a background flush adds them to the store in batches, every
/// <see cref="TeenModeOptions.BlockedAttemptFlushInterval"/>, sooner when many keys are pending, and on dispose (graceful
/// shutdown). Never changes or delays the decision's meaning.
/// </summary>
/// <remarks>
/// A crash loses at most what was counted since the last flush (one interval plus the write). A failed flush keeps the
/// counts and retries next interval. At most <c>maxPendingKeys</c> distinct keys are held: past that, denials under a
/// new key are not counted (logged with the number lost) until a flush gets through; keys already held keep counting.
/// </remarks>
internal sealed class BlockedAttemptRecorder : IAsyncDisposable, IDisposable
{
    /// <summary>Kinds of check, as the report names them.</summary>
    internal const string Usage = "usage", GamePlay = "game-play", GameTopUp = "game-top-up", Spend = "spend", Feature = "feature";

    /// <summary>Distinct keys held in memory at most (about 100 bytes each).</summary>
    internal const int DefaultMaxPendingKeys = 100_000;

    /// <summary>Keys per store transaction; also the pending-key count that starts a flush before the interval is up.</summary>
    internal const int BatchSize = 1_000;

    // Armed states of the flush timer.
    private const int Idle = 0, Armed = 1, Disposed = -1;

    // Longest one batch write may take before the flush gives up and retries next interval.
    private static readonly TimeSpan WriteTimeout = TimeSpan.FromSeconds(30);

    private readonly IBlockedAttemptStore _store;
    private readonly RulePack _pack;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _flushClock;
    private readonly int _maxPendingKeys;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<Key, Counter> _counters = new();

    // Flushes run one at a time, and a report reads the store and the pending counts in one turn, so it sees a flushed
    // count in exactly one of the two.
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly ITimer _timer;
    private int _armed;
    private int _keys;
    private long _dropped;

    /// <summary>Counts for <paramref name="store"/>; <paramref name="flushClock"/> paces the flush (the real clock in an app).</summary>
    public BlockedAttemptRecorder(IBlockedAttemptStore store, RulePack pack, IOptions<TeenModeOptions> options, TimeProvider flushClock,
        ILogger<BlockedAttemptRecorder>? logger = null, int maxPendingKeys = DefaultMaxPendingKeys)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPendingKeys, 1);
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _pack = pack ?? throw new ArgumentNullException(nameof(pack));
        _flushClock = flushClock ?? throw new ArgumentNullException(nameof(flushClock));
        _interval = options.Value.BlockedAttemptFlushInterval;
        _maxPendingKeys = maxPendingKeys;
        _logger = logger ?? NullLogger<BlockedAttemptRecorder>.Instance;

        // Created stopped: armed only while something is pending, so an idle recorder holds no running timer.
        _timer = flushClock.CreateTimer(static state => _ = ((BlockedAttemptRecorder)state!).FlushRoundAsync(), this,
            Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Counts the denial in memory. Allocation-free when its key is already pending.</summary>
    public void RecordIfDenied(string subjectId, DateTimeOffset now, string kind, Decision decision)
    {
        // Only a rule turning the minor away counts; an unknown subject or a store outage is not the minor's attempt.
        if (decision.IsAllowed || decision.Reason == ReasonCode.UnknownSubject || decision.Reason == ReasonCode.StoreUnavailable)
        {
            return;
        }

        var key = new Key(subjectId, DateOnly.FromDateTime(_pack.ToLocal(now)), kind, decision.Reason.Value);
        while (true)
        {
            if (_counters.TryGetValue(key, out var counter))
            {
                // A counter the flush retired (idle) is replaced, never incremented: its removal must not lose this count.
                if (counter.TryIncrement() || _counters.TryUpdate(key, new Counter(1), counter))
                {
                    Arm();
                    return;
                }

                continue;
            }

            if (Volatile.Read(ref _keys) >= _maxPendingKeys)
            {
                Interlocked.Increment(ref _dropped);
                return;
            }

            if (_counters.TryAdd(key, new Counter(1)))
            {
                if (Interlocked.Increment(ref _keys) % BatchSize == 0)
                {
                    FlushSoon();
                }

                Arm();
                return;
            }
        }
    }

    /// <summary>
    /// The subject's counters from <paramref name="firstDay"/> to <paramref name="lastDay"/>: the store's plus those this
    /// instance has not flushed yet, by day, kind and reason.
    /// </summary>
    public async Task<IReadOnlyList<BlockedAttemptCount>> GetAsync(string subjectId, DateOnly firstDay, DateOnly lastDay, CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var stored = await _store.GetAsync(subjectId, firstDay, lastDay, cancellationToken).ConfigureAwait(false);
            var totals = stored.ToDictionary(r => new Key(subjectId, r.Day, r.Kind, r.Reason.Value), r => r.Count);
            foreach (var (key, counter) in _counters)
            {
                if (key.Subject == subjectId && key.Day >= firstDay && key.Day <= lastDay && counter.Pending is > 0 and var pending)
                {
                    totals[key] = totals.GetValueOrDefault(key) + pending;
                }
            }

            return [.. totals
                .Select(t => new BlockedAttemptCount(t.Key.Day, t.Key.Kind, new ReasonCode(t.Key.Reason), t.Value))
                .OrderBy(r => r.Day).ThenBy(r => r.Kind, StringComparer.Ordinal).ThenBy(r => r.Reason.Value, StringComparer.Ordinal)];
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <summary>Writes every pending count to the store now. False when the store failed (the counts stay pending).</summary>
    public async Task<bool> FlushAsync(CancellationToken cancellationToken = default)
    {
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var dropped = Interlocked.Exchange(ref _dropped, 0);
            if (dropped > 0)
            {
                _logger.LogWarning("{Dropped} blocked attempts were not counted for the guardian usage report: {Max} keys were already pending.", dropped, _maxPendingKeys);
            }

            // _keys is counted after the key is added, so a flush that retires a just-added key can see it below zero.
            var batch = new List<BlockedAttemptIncrement>(Math.Clamp(Volatile.Read(ref _keys), 0, BatchSize));
            var taken = new List<(Counter Counter, long Count)>(batch.Capacity);
            foreach (var (key, counter) in _counters)
            {
                var count = counter.Count;
                if (count > counter.Flushed)
                {
                    batch.Add(new BlockedAttemptIncrement(key.Subject, key.Day, key.Kind, new ReasonCode(key.Reason), count - counter.Flushed));
                    taken.Add((counter, count));
                    if (batch.Count == BatchSize && !await WriteAsync(batch, taken, cancellationToken).ConfigureAwait(false))
                    {
                        return false;
                    }
                }
                else if (counter.TryRetire(count) && _counters.TryRemove(KeyValuePair.Create(key, counter)))
                {
                    // Nothing counted since the last flush: the key leaves memory (it comes back with its next denial).
                    Interlocked.Decrement(ref _keys);
                }
            }

            return await WriteAsync(batch, taken, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <summary>Stops the timer and flushes what is pending (graceful shutdown: the host disposes its services).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _armed, Disposed) == Disposed)
        {
            return;
        }

        await _timer.DisposeAsync().ConfigureAwait(false);
        if (!await FlushAsync().ConfigureAwait(false))
        {
            _logger.LogError("Blocked attempts not yet flushed are lost: the store failed at shutdown.");
        }
    }

    /// <summary>As <see cref="DisposeAsync"/>, blocking: a container disposed synchronously still flushes.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task<bool> WriteAsync(List<BlockedAttemptIncrement> batch, List<(Counter Counter, long Count)> taken, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return true;
        }

        try
        {
            using var timeout = new CancellationTokenSource(WriteTimeout, _flushClock);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            await _store.AddAsync(batch, linked.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _logger.LogWarning(ex, "Could not flush {Keys} blocked-attempt counters to the store; keeping them and retrying.", batch.Count);
            return false;
        }

        foreach (var (counter, count) in taken)
        {
            counter.Flushed = count;
        }

        batch.Clear();
        taken.Clear();
        return true;
    }

    private async Task FlushRoundAsync()
    {
        // Disarm first: a denial counted from here on arms the next round; one counted before is in this round.
        if (Interlocked.CompareExchange(ref _armed, Idle, Armed) == Disposed)
        {
            return;
        }

        var flushed = await FlushAsync().ConfigureAwait(false);

        // Keep going while keys are held: a failed flush retries, and an idle key is retired on the next round.
        if (!flushed || !_counters.IsEmpty)
        {
            Arm();
        }
    }

    private void Arm()
    {
        if (Volatile.Read(ref _armed) == Idle && Interlocked.CompareExchange(ref _armed, Armed, Idle) == Idle)
        {
            Change(_interval);
        }
    }

    private void FlushSoon()
    {
        var state = Volatile.Read(ref _armed);
        while (state != Disposed)
        {
            var seen = Interlocked.CompareExchange(ref _armed, Armed, state);
            if (seen == state)
            {
                Change(TimeSpan.Zero);
                return;
            }

            state = seen;
        }
    }

    private void Change(TimeSpan dueTime)
    {
        try
        {
            _timer.Change(dueTime, Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
            // Disposed meanwhile: the final flush takes what is pending.
        }
    }

    private readonly record struct Key(string Subject, DateOnly Day, string Kind, string Reason);

    /// <summary>
    /// Denials of one key since the counter was created (<see cref="Count"/>, only ever growing) and how many of them
    /// the store has (<see cref="Flushed"/>, written only by a flush). A retired counter is out of the map for good.
    /// </summary>
    private sealed class Counter(long count)
    {
        private const long Retired = long.MinValue;

        private long _count = count;
        private long _flushed;

        public long Count => Volatile.Read(ref _count);

        public long Flushed
        {
            get => Volatile.Read(ref _flushed);
            set => Volatile.Write(ref _flushed, value);
        }

        /// <summary>Not yet in the store, 0 for a retired counter.</summary>
        public long Pending
        {
            get
            {
                var count = Count;
                return count == Retired ? 0 : count - Flushed;
            }
        }

        public bool TryIncrement()
        {
            var count = Volatile.Read(ref _count);
            while (count != Retired)
            {
                var seen = Interlocked.CompareExchange(ref _count, count + 1, count);
                if (seen == count)
                {
                    return true;
                }

                count = seen;
            }

            return false;
        }

        /// <summary>Retires the counter if it still stands at <paramref name="count"/>, all of it flushed.</summary>
        public bool TryRetire(long count) => count != Retired && count == Flushed && Interlocked.CompareExchange(ref _count, Retired, count) == count;
    }
}
