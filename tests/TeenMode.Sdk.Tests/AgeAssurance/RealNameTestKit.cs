using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using TeenMode.AgeAssurance;
using TeenMode.Testing;

namespace TeenMode.Tests.AgeAssurance;

/// <summary>Shared bits of the real-name tests: a fixed clock, a wrapper factory, a log capture and a way to let virtual time pass.</summary>
internal static class RealNameTestKit
{
    public static readonly DateTimeOffset Start = new(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);

    public static ResilientRealNameVerifier Wrap(IRealNameVerifier inner, TimeProvider time, Action<RealNameVerificationOptions>? configure = null,
        ILogger<ResilientRealNameVerifier>? logger = null)
    {
        var options = new RealNameVerificationOptions();
        configure?.Invoke(options);
        return new ResilientRealNameVerifier(inner, options, time, logger);
    }

    /// <summary>
    /// Advances the fake clock in steps until <paramref name="task"/> finishes; continuations may hop threads, so each
    /// step waits briefly in real time for the pipeline to arm its next timer.
    /// </summary>
    public static async Task<T> DriveAsync<T>(Task<T> task, FakeTimeProvider time, TimeSpan step, int maxSteps = 2000)
    {
        for (var i = 0; i < maxSteps && !task.IsCompleted; i++)
        {
            time.Advance(step);
            await Task.WhenAny(task, Task.Delay(2)).ConfigureAwait(false);
        }

        return await task.WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
    }

    /// <summary>Every identity number and name the fixtures hold, for "never logged" assertions.</summary>
    public static IEnumerable<string> PersonalData() =>
        NppaRealNameSimulator.Fixtures.SelectMany(f => new[] { f.Name, f.IdentityNumber });
}

/// <summary>Keeps every log line: rendered message, structured values and exception text.</summary>
internal sealed class CapturingLogger<T> : ILogger<T>
{
    private readonly Lock _gate = new();
    private readonly List<(LogLevel Level, EventId Id, string Text)> _lines = [];

    public IReadOnlyList<(LogLevel Level, EventId Id, string Text)> Lines
    {
        get { lock (_gate) { return [.. _lines]; } }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join("; ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
        var text = $"{formatter(state, exception)} | {values} | {exception}";
        lock (_gate)
        {
            _lines.Add((logLevel, eventId, text));
        }
    }
}

/// <summary>A provider that always answers the same way (or throws), counting calls.</summary>
internal sealed class ScriptedVerifier(Func<int, RealNameResult> answer) : IRealNameVerifier
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public Task<RealNameResult> CheckAsync(RealNameCheck check, CancellationToken cancellationToken = default) =>
        Task.FromResult(answer(Interlocked.Increment(ref _calls)));

    public Task<RealNameResult> QueryAsync(string accountId, CancellationToken cancellationToken = default) =>
        Task.FromResult(answer(Interlocked.Increment(ref _calls)));

    public Task<BehaviourUploadResult> ReportBehaviourAsync(IReadOnlyList<GameBehaviourRecord> records, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        return Task.FromResult(BehaviourUploadResult.Ok);
    }
}
