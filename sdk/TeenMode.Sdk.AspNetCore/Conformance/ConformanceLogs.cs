using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using TeenMode.AspNetCore.Internal;

namespace TeenMode.AspNetCore.Conformance;

/// <summary>
/// Keeps the app's most recent log lines in memory so the harness can check they hold no raw personal data. It is a
/// logger provider like any other, so it sees lines exactly as the app's real sinks do (after redaction, when the app
/// redacts). Conformance runs only: the driver that exposes it refuses to start in Production.
/// </summary>
internal sealed class ConformanceLogBuffer : ILoggerProvider
{
    private const int Capacity = 2000;
    private readonly ConcurrentQueue<string> _lines = new();

    /// <summary>The lines kept, oldest first.</summary>
    public IReadOnlyList<string> Lines => [.. _lines];

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new BufferLogger(this, categoryName);

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private void Add(string line)
    {
        _lines.Enqueue(line);
        while (_lines.Count > Capacity && _lines.TryDequeue(out _))
        {
        }
    }

    private sealed class BufferLogger(ConformanceLogBuffer buffer, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);

            // The structured values too: a sink that writes them (JSON console, OpenTelemetry) would leak them.
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? string.Join(" ", pairs.Where(p => p.Key != "{OriginalFormat}").Select(p => p.Key + "=" + p.Value))
                : "";
            buffer.Add($"{logLevel} {category}: {formatter(state, exception)} {values} {exception}");
        }
    }
}

/// <summary>The conformance driver's log endpoints.</summary>
internal static class ConformanceLogs
{
    public const string ProbeCategory = "TeenMode.Conformance.LogProbe";

    public static void Register(IServiceCollection services)
    {
        services.TryAddSingleton<ConformanceLogBuffer>();
        services.AddSingleton<ILoggerProvider>(sp => new NonDisposingProvider(sp.GetRequiredService<ConformanceLogBuffer>()));
    }

    public static void Map(RouteGroupBuilder group)
    {
        // Logs text the way an app logs an incoming request it handles (e.g. a guardian binding), at Warning.
        group.MapPost("/logs/probe", async (HttpRequest request, ILoggerFactory loggers) =>
        {
            var (body, problem) = await Json.ReadObjectAsync(request);
            if (problem is not null)
            {
                return problem;
            }

            var f = new FieldReader(body!);
            var text = f.String("text", maxLength: 2000);
            if (!f.Ok)
            {
                return Json.Invalid(f.Errors);
            }

#pragma warning disable CA1848, CA2254 // a probe: the text is the message on purpose
            loggers.CreateLogger(ProbeCategory).LogWarning("Conformance log probe: {ProbeText}", text);
#pragma warning restore CA1848, CA2254
            return Json.Ok(new { logged = true });
        });

        // Counts lines holding a value; the lines themselves are not returned (they may hold what the check looks for).
        group.MapGet("/logs", (string? contains, IServiceProvider sp) =>
        {
            var lines = sp.GetRequiredService<ConformanceLogBuffer>().Lines;
            var matches = string.IsNullOrEmpty(contains) ? 0 : lines.Count(l => l.Contains(contains, StringComparison.Ordinal));
            return Json.Ok(new { captured = lines.Count, matches, found = matches > 0 });
        });
    }

    // The container owns the buffer; the redaction wrapper may dispose what it wraps.
    private sealed class NonDisposingProvider(ConformanceLogBuffer inner) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => inner.CreateLogger(categoryName);

        public void Dispose()
        {
        }
    }
}
