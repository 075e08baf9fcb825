using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using TeenMode.AntiAddiction;

namespace TeenMode.IntegrationTests;

/// <summary>The SDK's one exception boundary: a failing service is an opaque 500 problem+json, even in Development.</summary>
public sealed class ExceptionBoundaryTests
{
    private const string SecretMessage = "boom-secret-message-7f3a";
    private const string HeaderProbe = "header-probe-9c1e";

    [Fact]
    public async Task ThrowingService_InDevelopment_Answers500ProblemWithoutStackTraceMessageOrHeaders_AndLogsOnce()
    {
        var logs = new CapturingProvider();
        await using var app = await SampleApp.StartAsync(configure: o =>
        {
            o.EnvironmentName = "Development";
            o.ConfigureBuilder = b =>
            {
                b.Services.Replace(ServiceDescriptor.Singleton<IUsageGate, ThrowingUsageGate>());
                b.Logging.AddProvider(logs);
            };
        });

        using var request = new HttpRequestMessage(HttpMethod.Get, "teenmode/v1/subjects/kid/usage");
        request.Headers.TryAddWithoutValidation("X-Probe", HeaderProbe);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        using var response = await app.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        ((int)response.StatusCode).Should().Be(500);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        text.Should().Contain("\"reasonCode\":\"internal-error\"").And.Contain("服务器内部错误").And.Contain("Internal server error");
        text.Should().NotContain("   at ").And.NotContain("Exception").And.NotContain(SecretMessage).And.NotContain(HeaderProbe).And.NotContain("ThrowingUsageGate");
        logs.Entries.Count(e => e.Category == "TeenMode.AspNetCore.ExceptionBoundary" && e.Level == LogLevel.Error).Should().Be(1, "logged once");
        logs.Entries.Should().NotContain(e => e.Message.Contains(HeaderProbe, StringComparison.Ordinal));
    }

    // A service that cannot be built fails while the handler's parameters are bound, before any endpoint filter runs:
    // the boundary wraps the whole endpoint, so Development's exception page (stack trace, request headers) never shows.
    [Fact]
    public async Task ServiceThatCannotBeBuilt_InDevelopment_Answers500ProblemWithoutStackTraceOrHeaders()
    {
        var logs = new CapturingProvider();
        await using var app = await SampleApp.StartAsync(configure: o =>
        {
            o.EnvironmentName = "Development";
            o.ConfigureBuilder = b =>
            {
                b.Services.Replace(ServiceDescriptor.Singleton<IUsageGate>(_ => throw new InvalidOperationException(SecretMessage)));
                b.Logging.AddProvider(logs);
            };
        });

        using var request = new HttpRequestMessage(HttpMethod.Get, "teenmode/v1/subjects/kid/usage");
        request.Headers.TryAddWithoutValidation("X-Probe", HeaderProbe);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        using var response = await app.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        ((int)response.StatusCode).Should().Be(500, text);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        text.Should().Contain("\"reasonCode\":\"internal-error\"");
        text.Should().NotContain("   at ").And.NotContain("Exception").And.NotContain(SecretMessage).And.NotContain(HeaderProbe);
        logs.Entries.Count(e => e.Category == "TeenMode.AspNetCore.ExceptionBoundary" && e.Level == LogLevel.Error).Should().Be(1, "logged once");
    }

    private sealed class ThrowingUsageGate : IUsageGate
    {
        public Task<Decision> RecordHeartbeatAsync(Heartbeat heartbeat, CancellationToken cancellationToken = default) => throw new InvalidOperationException(SecretMessage);

        public Task<Decision> CheckAsync(string subjectId, CancellationToken cancellationToken = default) => throw new InvalidOperationException(SecretMessage);

        public Task<Decision> CheckAsync(string subjectId, string? category, CancellationToken cancellationToken = default) => throw new InvalidOperationException(SecretMessage);

        public Task<UsageSnapshot?> GetSnapshotAsync(string subjectId, CancellationToken cancellationToken = default) => throw new InvalidOperationException(SecretMessage);
    }

    private sealed class CapturingProvider : ILoggerProvider
    {
        public ConcurrentQueue<(string Category, LogLevel Level, string Message, Exception? Exception)> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingProvider owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                owner.Entries.Enqueue((category, logLevel, formatter(state, exception), exception));
        }
    }
}
