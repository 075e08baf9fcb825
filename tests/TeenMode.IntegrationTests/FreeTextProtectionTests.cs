using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;

namespace TeenMode.IntegrationTests;

/// <summary>Issue 13: free text a minor or guardian writes is personal data — never in logs, sealed in the database.</summary>
public sealed class FreeTextProtectionTests
{
    private const string ReviewerKey = "integration-reviewer-key-0123456789abcdef";
    private const string IdNumber = "11010519491231002X";
    private const string Mobile = "13912345678";

    [Fact]
    public async Task ReportDescriptionAndRefundReason_WithIdentityAndPhoneNumbers_StayOutOfLogsAndTheDatabaseFile_AndStaffReadThemBack()
    {
        var logs = new CapturingLoggerProvider();
        var app = await SampleApp.StartAsync(configure: o =>
        {
            o.ReviewerKey = ReviewerKey;
            o.ConfigureBuilder = b =>
            {
                b.Logging.SetMinimumLevel(LogLevel.Trace);
                b.Logging.AddProvider(logs);
            };
        });
        var description = $"他的身份证号 {IdNumber}，手机 {Mobile} / his id {IdNumber}, phone {Mobile}";
        string reportId;
        try
        {
            await app.SendAsync(HttpMethod.Put, "/teenmode/conformance/v1/clock", "{\"local\":\"2026-03-04T10:00:00\"}");
            (await app.SendAsync(HttpMethod.Post, "/teenmode/v1/subjects", "{\"id\":\"kid\",\"birthDate\":\"2009-01-01\"}")).Status.Should().Be(201);
            (await app.BindGuardianAsync("kid", "mum", "246810")).Should().Be(201);
            var (filed, receipt) = await app.SendAsync(HttpMethod.Post, "/teenmode/v1/reports",
                $$"""{"reporterKind":"guardian","category":"bullying","targetKind":"user","targetId":"bully-1","subjectId":"kid","description":"{{description}}"}""",
                ("Idempotency-Key", "k1"));
            filed.Should().Be(201);
            reportId = receipt["reportId"]!.ToString();
            var (_, spend) = await app.SendAsync(HttpMethod.Post, "/teenmode/v1/subjects/kid/spends", "{\"category\":\"video\",\"amount\":\"5.00\"}");
            var (refundFiled, refund) = await app.SendAsync(HttpMethod.Post, $"/teenmode/v1/subjects/kid/spends/{spend["spendId"]}/refund-requests",
                $$"""{"guardianId":"mum","reason":"请联系 {{Mobile}}"}""");
            refundFiled.Should().Be(201);

            // Staff need the reporter's words to act: the staff API returns them as written (it is behind the reviewer policy).
            var (status, staffView) = await app.SendAsync(HttpMethod.Get, $"/teenmode/v1/review/reports/{reportId}", null, ("X-Reviewer-Key", ReviewerKey));
            status.Should().Be(200);
            staffView["description"]!.ToString().Should().Be(description);
            (await app.SendAsync(HttpMethod.Get, $"/teenmode/v1/review/refund-requests/{refund["refundId"]}", null, ("X-Reviewer-Key", ReviewerKey)))
                .Status.Should().Be(200, "the sealed refund reason reads back");
        }
        finally
        {
            await app.KeepFilesAndDisposeAsync();
        }

        try
        {
            logs.Lines.Should().NotBeEmpty("the capture saw the app's log output");
            var logged = string.Join('\n', logs.Lines);
            logged.Should().NotContain(IdNumber).And.NotContain(Mobile);

            var dir = Path.GetDirectoryName(app.DatabasePath)!;
            foreach (var file in Directory.GetFiles(dir, "app.db*").Where(f => !f.EndsWith(".pi-key", StringComparison.Ordinal)))
            {
                var bytes = await File.ReadAllBytesAsync(file);
                foreach (var secret in new[] { IdNumber, Mobile })
                {
                    bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)).Should().Be(-1, $"{Path.GetFileName(file)} must not hold {secret} in clear (UTF-8)");
                    bytes.AsSpan().IndexOf(Encoding.Unicode.GetBytes(secret)).Should().Be(-1, $"{Path.GetFileName(file)} must not hold {secret} in clear (UTF-16)");
                }
            }
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(app.DatabasePath)!, recursive: true);
        }
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                owner.Lines.Enqueue($"{category}: {formatter(state, exception)} {exception}");
        }
    }
}
