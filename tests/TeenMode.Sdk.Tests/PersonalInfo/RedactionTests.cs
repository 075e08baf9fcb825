using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;
using TeenMode.Audit;
using TeenMode.PersonalInfo;
using TeenMode.Tests.Core;

namespace TeenMode.Tests.PersonalInfo;

public sealed class RedactionTests
{
    private const string IdNumber = "110105201303070027";
    private const string Phone = "13800138000";

    [Theory]
    [InlineData("身份证 110105201303070027 已核验", "身份证 *** 已核验")]
    [InlineData("id=11010520130307002X;", "id=***;")]
    [InlineData("call 13800138000 now", "call *** now")]
    [InlineData("call +86 138 0013 8000 now", "call *** now")]
    [InlineData("call 138-0013-8000.", "call ***.")]
    [InlineData("手机13912345678", "手机***")]
    [InlineData("mail kid.parent+x@example.com.cn please", "mail *** please")]
    [InlineData("pin=246810&x=1", "pin=***&x=1")]
    [InlineData("{\"guardianPin\": \"246810\"}", "{\"guardianPin\": \"***\"}")]
    [InlineData("Password: hunter22 ok", "Password: *** ok")]
    public void Text_MasksIdentityAndPhoneNumbers_Emails_AndSecretAssignments(string input, string expected) =>
        Redaction.Text(input).Should().Be(expected);

    [Theory]
    [InlineData("2026-03-04T10:00:00.123Z")]
    [InlineData("sha256 3f1a2b13800138000c9d")]
    [InlineData("report rp-0123456789abcdef amount 50.00 seq 12345678901234")]
    [InlineData("synthetic-13efec9efccfb995")]
    [InlineData("birth 2013-03-07, band 12-16")]
    [InlineData("a 19-digit number 1101052013030700271 is not an id")]
    public void Text_LeavesTimestampsHashesAndIdsAlone(string input) =>
        Redaction.Text(input).Should().BeSameAs(input);

    [Fact]
    public void Json_MasksSecretFields_AndPersonalDataInsideStrings_WithoutChangingTheInput()
    {
        var input = JObject.Parse($$"""{ "pin": "246810", "nested": [{ "note": "phone {{Phone}}", "count": 13800138000 }], "ok": "fine" }""");

        var redacted = Redaction.Json(input)!;

        redacted.ToString().Should().NotContain("246810").And.NotContain(Phone + "\"");
        redacted["pin"]!.ToString().Should().Be("***");
        redacted.SelectToken("$.nested[0].note")!.ToString().Should().Be("phone ***");
        redacted["ok"]!.ToString().Should().Be("fine");
        input["pin"]!.ToString().Should().Be("246810", "the input is not changed");
    }

    [Fact]
    public void IdNumberChecksum_IsChecked()
    {
        Redaction.IsValidIdNumber(IdNumber).Should().BeTrue();
        Redaction.IsValidIdNumber("110105201303070028").Should().BeFalse();
        Redaction.IsValidIdNumber("11010520130307002").Should().BeFalse();
    }

    [Fact]
    public void LogRedaction_MasksMessage_StructuredValues_Scopes_AndExceptionText()
    {
        var sink = new CapturingProvider();
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerProvider>(sink);
        services.AddTeenModeLogRedaction();
        services.AddTeenModeLogRedaction(); // a second call wraps nothing twice
        using var sp = services.BuildServiceProvider();
        var provider = sp.GetServices<ILoggerProvider>().Should().ContainSingle().Subject.Should().BeOfType<RedactingLoggerProvider>().Subject;
        var logger = provider.CreateLogger("Test");

#pragma warning disable CA1848, CA2254
        logger.LogWarning(new InvalidOperationException($"lookup failed for {IdNumber}"), "Bound guardian {Phone} to {Subject} with pin={Pin}", Phone, "kid-1", "246810");
#pragma warning restore CA1848, CA2254

        var line = sink.Lines.Should().ContainSingle().Subject;
        line.Message.Should().Be("Bound guardian *** to kid-1 with pin=***");
        line.Values.Should().Contain(new KeyValuePair<string, object?>("Phone", "***")).And.Contain(new KeyValuePair<string, object?>("Subject", "kid-1"));
        line.Exception!.ToString().Should().Contain("lookup failed for ***").And.NotContain(IdNumber);
        string.Join("\n", sink.Lines.Select(l => l.ToString())).Should().NotContain(Phone).And.NotContain(IdNumber).And.NotContain("246810");
    }

    [Fact]
    public void AddTeenMode_RedactsTheLoggerProvidersRegisteredBeforeIt()
    {
        var sink = new CapturingProvider();
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerProvider>(sink);
        services.AddTeenMode(o => o.PinIterations = 100_000);
        using var sp = services.BuildServiceProvider();

        var logger = sp.GetServices<ILoggerProvider>().Single().CreateLogger("App");
#pragma warning disable CA1848, CA1873
        logger.LogInformation("guardian phone {Phone}", Phone);
#pragma warning restore CA1848, CA1873

        sink.Lines.Single().Message.Should().Be("guardian phone ***");
    }

    [Fact]
    public async Task AuditLog_RedactsDetails_TargetAndActor_BeforeTheyAreChained()
    {
        using var host = new TeenModeHost(new DateTimeOffset(2026, 3, 6, 2, 0, 0, TimeSpan.Zero));

        var entry = await host.Audit.AppendAsync(new AuditEvent(Phone, "guardian-bound", "kid", $"id {IdNumber}",
            new Dictionary<string, string> { ["pin"] = "246810", ["note"] = $"mail a@b.cn phone {Phone}", ["band"] = "12-16" }));

        entry.Event.Actor.Should().Be("***");
        entry.Event.Target.Should().Be("id ***");
        entry.Event.Details.Should().Equal(new Dictionary<string, string> { ["band"] = "12-16", ["note"] = "mail *** phone ***", ["pin"] = "***" });
        (await host.Audit.VerifyAsync()).Valid.Should().BeTrue();
    }

    private sealed record Line(string Message, IReadOnlyList<KeyValuePair<string, object?>> Values, Exception? Exception)
    {
        public override string ToString() => $"{Message} {string.Join(",", Values)} {Exception}";
    }

    private sealed class CapturingProvider : ILoggerProvider
    {
        public List<Line> Lines { get; } = [];

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingProvider owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                owner.Lines.Add(new Line(formatter(state, exception), state as IReadOnlyList<KeyValuePair<string, object?>> ?? [], exception));
        }
    }
}
