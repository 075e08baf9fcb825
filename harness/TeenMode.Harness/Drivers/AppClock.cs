namespace TeenMode.Harness.Drivers;

/// <summary>
/// The harness's model of the app's clock: where it was last set, moved by every advance and, for a running
/// clock, by the real time since. Expressions (<c>tm.now()</c>) read it to derive birth dates and instants.
/// </summary>
public sealed class AppClock
{
    private readonly bool _running;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private DateTimeOffset? _setAt;
    private long _setTimestamp;

    /// <summary>Creates the model.</summary>
    public AppClock(bool running, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _running = running;
        _time = time;
    }

    /// <summary>The app's current time as modelled; before the first set, the real time.</summary>
    public DateTimeOffset Now
    {
        get
        {
            lock (_lock)
            {
                if (_setAt is not { } at)
                {
                    return _time.GetUtcNow();
                }

                return _running ? at + _time.GetElapsedTime(_setTimestamp) : at;
            }
        }
    }

    /// <summary>The app's clock was set to <paramref name="at"/>.</summary>
    public void Set(DateTimeOffset at)
    {
        lock (_lock)
        {
            _setAt = at;
            _setTimestamp = _time.GetTimestamp();
        }
    }

    /// <summary>The app's clock was moved forward.</summary>
    public void Advance(TimeSpan by)
    {
        lock (_lock)
        {
            var now = _setAt is null ? _time.GetUtcNow() : (DateTimeOffset?)null;
            _setAt = (_setAt ?? now!.Value) + by;
            if (now is not null)
            {
                _setTimestamp = _time.GetTimestamp();
            }
        }
    }
}
