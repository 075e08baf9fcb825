namespace TeenMode.AspNetCore.Conformance;

/// <summary>
/// A clock the harness can set, freeze and advance, so boundary checks never sleep.
/// Registered as the app's <see cref="TimeProvider"/> only by the conformance driver.
/// </summary>
internal sealed class ConformanceClock(TimeProvider system) : TimeProvider
{
    private readonly Lock _lock = new();
    private TimeSpan _offset;
    private DateTimeOffset? _frozenAt;

    /// <summary>True while the clock stands still.</summary>
    public bool IsFrozen
    {
        get
        {
            lock (_lock)
            {
                return _frozenAt is not null;
            }
        }
    }

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _frozenAt ?? system.GetUtcNow() + _offset;
        }
    }

    /// <summary>Sets the current instant; when <paramref name="frozen"/>, time stands still there.</summary>
    public void Set(DateTimeOffset instant, bool frozen)
    {
        lock (_lock)
        {
            _offset = instant - system.GetUtcNow();
            _frozenAt = frozen ? instant.ToUniversalTime() : null;
        }
    }

    /// <summary>Moves the clock forward.</summary>
    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        lock (_lock)
        {
            _offset += delta;
            if (_frozenAt is { } at)
            {
                _frozenAt = at + delta;
            }
        }
    }
}
