using System.Globalization;

namespace TeenMode.Testing;

/// <summary>
/// A <see cref="TimeProvider"/> whose clock moves only when a test moves it, so curfews, daily budgets and
/// birthdays can be tested at exact instants. Timers (and so <c>Task.Delay(…, provider)</c>) fire,
/// synchronously on the caller's thread, when <see cref="Advance"/> or <see cref="SetUtcNow"/> passes their due time.
/// </summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<ManualTimer> _timers = [];
    private DateTimeOffset _utcNow;
    private TimeZoneInfo _localTimeZone;
    private long _timerOrder;

    /// <summary>Starts the clock at <paramref name="start"/>, with UTC as the local time zone.</summary>
    public ManualTimeProvider(DateTimeOffset start)
        : this(start, TimeZoneInfo.Utc)
    {
    }

    /// <summary>Starts the clock at <paramref name="start"/> with the given local time zone.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="localTimeZone"/> is null.</exception>
    public ManualTimeProvider(DateTimeOffset start, TimeZoneInfo localTimeZone)
    {
        ArgumentNullException.ThrowIfNull(localTimeZone);
        _utcNow = start.ToUniversalTime();
        _localTimeZone = localTimeZone;
    }

    /// <summary>The time zone <see cref="TimeProvider.GetLocalNow"/> uses; change it with <see cref="SetLocalTimeZone"/>.</summary>
    public override TimeZoneInfo LocalTimeZone
    {
        get
        {
            lock (_gate)
            {
                return _localTimeZone;
            }
        }
    }

    /// <summary>Ticks of the manual clock, so elapsed-time measurements follow it too.</summary>
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _utcNow;
        }
    }

    /// <inheritdoc />
    public override long GetTimestamp()
    {
        lock (_gate)
        {
            return _utcNow.UtcTicks;
        }
    }

    /// <summary>Changes the local time zone.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="timeZone"/> is null.</exception>
    public void SetLocalTimeZone(TimeZoneInfo timeZone)
    {
        ArgumentNullException.ThrowIfNull(timeZone);
        lock (_gate)
        {
            _localTimeZone = timeZone;
        }
    }

    /// <summary>Moves the clock forward, firing every timer that falls due on the way at its due instant.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delta"/> is negative.</exception>
    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        DateTimeOffset target;
        lock (_gate)
        {
            target = _utcNow + delta;
        }

        MoveTo(target);
    }

    /// <summary>
    /// Sets the clock. Moving forward fires due timers as <see cref="Advance"/> does; moving back fires none
    /// (timers then fall due later by the same amount, since they keep their absolute due instants).
    /// </summary>
    public void SetUtcNow(DateTimeOffset value) => MoveTo(value.ToUniversalTime());

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <inheritdoc />
    public override string ToString() => GetUtcNow().ToString("O", CultureInfo.InvariantCulture);

    private void MoveTo(DateTimeOffset target)
    {
        while (true)
        {
            ManualTimer? next = null;
            lock (_gate)
            {
                foreach (var timer in _timers)
                {
                    if (timer.DueAt <= target && (next is null || timer.DueAt < next.DueAt || (timer.DueAt == next.DueAt && timer.Order < next.Order)))
                    {
                        next = timer;
                    }
                }

                if (next is null)
                {
                    _utcNow = target;
                    return;
                }

                // The callback sees the clock at its own due instant, as it would in real time.
                if (next.DueAt > _utcNow)
                {
                    _utcNow = next.DueAt;
                }

                Rearm(next);
            }

            // Outside the lock: a callback may read the clock, change timers or advance further.
            next.Invoke();
        }
    }

    private void FireDue() => MoveTo(GetUtcNow());

    private void Rearm(ManualTimer timer)
    {
        if (timer.Period > TimeSpan.Zero)
        {
            timer.DueAt += timer.Period;
        }
        else
        {
            _timers.Remove(timer);
        }
    }

    private void Schedule(ManualTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        lock (_gate)
        {
            _timers.Remove(timer);
            timer.Period = period == Timeout.InfiniteTimeSpan ? TimeSpan.Zero : period;
            if (dueTime == Timeout.InfiniteTimeSpan)
            {
                return;
            }

            timer.DueAt = _utcNow + dueTime;
            timer.Order = ++_timerOrder;
            _timers.Add(timer);
        }

        // A timer due now fires at once, as a real one would.
        if (dueTime == TimeSpan.Zero)
        {
            FireDue();
        }
    }

    private void Unschedule(ManualTimer timer)
    {
        lock (_gate)
        {
            _timers.Remove(timer);
        }
    }

    private static void Validate(TimeSpan value, string name)
    {
        if (value != Timeout.InfiniteTimeSpan && value < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(name, value, "Must be non-negative or Timeout.InfiniteTimeSpan.");
        }
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        private bool _disposed;

        public DateTimeOffset DueAt { get; set; }

        public TimeSpan Period { get; set; }

        public long Order { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            Validate(dueTime, nameof(dueTime));
            Validate(period, nameof(period));
            if (Volatile.Read(ref _disposed))
            {
                return false;
            }

            owner.Schedule(this, dueTime, period);
            return true;
        }

        public void Invoke()
        {
            if (!Volatile.Read(ref _disposed))
            {
                callback(state);
            }
        }

        public void Dispose()
        {
            Volatile.Write(ref _disposed, true);
            owner.Unschedule(this);
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
