using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json;
using TeenMode.Audit;
using TeenMode.Harness.Cli;

namespace TeenMode.IntegrationTests;

/// <summary>
/// Proof that personal data does not leak: a synthetic identity number, phone number and guardian PIN flow through the
/// sample app (subject setup, guardian binding, a report's text, the full harness suite), every log line at every level
/// is captured, and neither the logs, the audit log nor any report file holds the raw values.
/// </summary>
public sealed class PiRedactionProofTests
{
    private const string IdNumber = "110105201303070027";
    private const string Phone = "13800138000";
    private const string Pin = "246810";

    [Fact]
    public async Task FullSuite_WithPersonalDataFlowing_LeavesNoRawValueInLogs_AuditOrReports()
    {
        var capture = new CapturingLoggerProvider();
        await using var app = await SampleApp.StartAsync(configure: o => o.ConfigureBuilder = b =>
        {
            b.Logging.SetMinimumLevel(LogLevel.Trace);
            b.Logging.AddProvider(capture);
        });
        var (_, subject) = await app.SendAsync(HttpMethod.Post, "/teenmode/conformance/v1/subjects", """{"age":13}""");
        var kid = subject["subjectId"]!.ToString();
        (await app.BindGuardianAsync(kid, "mum", Pin)).Should().Be(201);
        (await app.SendAsync(HttpMethod.Post, $"/teenmode/v1/subjects/{kid}/teen-mode/exit", $$"""{"guardianPin":"{{Pin}}9"}""")).Status.Should().Be(403);
        (await app.SendAsync(HttpMethod.Post, "/teenmode/v1/reports",
            $$"""{"reporterKind":"guardian","category":"privacy-leak","targetKind":"user","targetId":"u-1","subjectId":"{{kid}}","description":"他公开了我孩子的身份证 {{IdNumber}} 和手机 {{Phone}}"}""",
            ("Idempotency-Key", "proof-1"))).Status.Should().Be(201);
        (await app.SendAsync(HttpMethod.Post, "/teenmode/conformance/v1/logs/probe",
            $$"""{"text":"guardian binding for {{kid}}: id {{IdNumber}}, phone {{Phone}}, pin={{Pin}}"}""")).Status.Should().Be(200);
        var outDir = Path.Combine(Path.GetTempPath(), "teenmode-proof-" + Guid.NewGuid().ToString("N"));

        try
        {
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            var code = await Cli.RunAsync(["run", "--target", app.App.BaseAddress.ToString(), "--conformance-key", SampleApp.Key, "--out", outDir], stdout, stderr);

            code.Should().Be(0, stderr.ToString());
            var lines = capture.Lines;
            lines.Should().Contain(l => l.Contains("Conformance log probe: guardian binding for " + kid + ": id ***, phone ***, pin=***", StringComparison.Ordinal),
                "the capture sees the app's log lines (redacted)");
            lines.Count.Should().BeGreaterThan(100, "every level is captured, including request logs");
            var files = Directory.GetFiles(outDir);
            files.Should().Contain(f => f.EndsWith("report.json", StringComparison.Ordinal)).And.Contain(f => f.EndsWith(".html", StringComparison.Ordinal));
            var audit = await app.App.Services.GetRequiredService<IAuditLog>().ReadAsync(limit: 100_000);
            var sources = lines.Select((l, i) => ($"log line {i}", l))
                .Concat(files.Select(f => (f, File.ReadAllText(f))))
                .Append(("audit log", JsonConvert.SerializeObject(audit)))
                .Append(("stdout", stdout.ToString()));
            foreach (var (where, text) in sources)
            {
                text.Should().NotContain(IdNumber, where).And.NotContain(Phone, where).And.NotContain(Pin, where);
            }
        }
        finally
        {
            if (Directory.Exists(outDir))
            {
                Directory.Delete(outDir, recursive: true);
            }
        }
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        private readonly ConcurrentQueue<string> _lines = new();

        public IReadOnlyList<string> Lines => [.. _lines];

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull
            {
                owner._lines.Enqueue($"scope {category}: {state}");
                return null;
            }

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
                owner._lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} | {values} | {exception}");
            }
        }
    }
}
