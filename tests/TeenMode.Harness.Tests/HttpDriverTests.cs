using Newtonsoft.Json.Linq;
using TeenMode.Harness.Drivers;
using TeenMode.Harness.Profiling;
using TeenMode.Harness.Running;
using TeenMode.Harness.Tests.Support;

namespace TeenMode.Harness.Tests;

public sealed class HttpDriverTests : IAsyncLifetime
{
    private static readonly HttpClient Client = new() { Timeout = Timeout.InfiniteTimeSpan };
    private FakeApp _app = null!;

    public async Task InitializeAsync() => _app = await FakeApp.StartAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private HttpDriver Driver(AppProfile? profile = null, Uri? target = null) =>
        new(Client, target ?? _app.BaseAddress, profile ?? TestSuites.Profile,
            new Dictionary<string, string> { ["conformanceKey"] = FakeApp.Key },
            new HttpDriverOptions { RequestTimeout = TimeSpan.FromSeconds(5), RetryDelay = TimeSpan.FromMilliseconds(10) });

    [Fact]
    public async Task ProblemJson_FieldsAreExtracted_AndMissingPathsAreNull()
    {
        var result = await Driver().ExecuteAsync("exitTeenMode", new JObject { ["subjectId"] = "s1", ["guardianPin"] = "135790" });

        result.Error.Should().BeNull();
        result.Fields["status"]!.Value<int>().Should().Be(403);
        result.Fields["reasonCode"]!.ToString().Should().Be("guardian-verification-failed");
        result.Fields["allowed"]!.Type.Should().Be(JTokenType.Null);
        result.Exchange.Method.Should().Be("POST");
        result.Exchange.Path.Should().Be("/teenmode/v1/subjects/s1/teen-mode/exit");
    }

    [Fact]
    public async Task Evidence_RedactsPinsAndTheConformanceKey()
    {
        var driver = Driver();

        var bind = await driver.ExecuteAsync("bindGuardian", new JObject { ["subjectId"] = "s1", ["guardianId"] = "g1", ["pin"] = "246810" });
        var info = await driver.ExecuteAsync("info", new JObject());

        bind.Exchange.RequestBody!["pin"]!.ToString().Should().Be("***");
        bind.Exchange.RequestBody!["guardianId"]!.ToString().Should().Be("g1");
        bind.Exchange.RequestHeaders["X-TeenMode-Conformance-Key"].Should().Be("***");
        info.Exchange.ResponseBody!["echo"]!.ToString().Should().Be("***", "a secret echoed by the app is masked too");
    }

    [Fact]
    public async Task Evidence_RedactsPins_UnderTheAppsOwnFieldNames_AndPerActionSecretHeaders()
    {
        // A profile for an app not built on the SDK: its PIN field and key header have other names.
        var profile = ProfileLoader.Parse("""
            { "id": "other", "version": "1", "capabilities": [], "actions": {
                "bindGuardian": { "method": "POST", "path": "/teenmode/v1/subjects/${subjectId}/guardians",
                                  "headers": { "X-App-Secret": "${conformanceKey}" },
                                  "body": { "parentId": "${guardianId}", "parentPin": "${pin}" } } } }
            """, "other.json");

        var bind = await Driver(profile).ExecuteAsync("bindGuardian", new JObject { ["subjectId"] = "s1", ["guardianId"] = "g1", ["pin"] = "246810" });

        bind.Exchange.RequestBody!["parentPin"]!.ToString().Should().Be("***");
        bind.Exchange.RequestBody!["parentId"]!.ToString().Should().Be("g1");
        bind.Exchange.RequestHeaders["X-App-Secret"].Should().Be("***");
        profile.HeaderVariables.Should().Contain("conformanceKey", "the CLI must ask for a key that only an action header needs");
    }

    [Fact]
    public async Task NonJsonResponse_IsAnError_NotAFailure()
    {
        var profile = ProfileLoader.Parse("""
            { "id": "plain", "version": "1", "capabilities": [], "actions": { "getReport": { "method": "GET", "path": "/plain" } } }
            """, "plain.json");

        var result = await Driver(profile).ExecuteAsync("getReport", new JObject());

        result.Error!.Kind.Should().Be("non-json");
        result.Status.Should().Be(200);
    }

    [Fact]
    public async Task UnreachableTarget_IsATransportError_AfterRetries()
    {
        var target = new Uri($"http://127.0.0.1:{TestSuites.FreePort()}/");

        var result = await Driver(target: target).ExecuteAsync("info", new JObject());

        result.Error!.Kind.Should().Be("transport");
        result.Exchange.Attempts.Should().Be(3);
        result.Fields["status"]!.Type.Should().Be(JTokenType.Null);
    }

    [Fact]
    public async Task TimedOutPost_IsNotRetried_BecauseTheAppMayHaveAppliedIt()
    {
        var profile = ProfileLoader.Parse("""
            { "id": "slow", "version": "1", "capabilities": [], "actions": { "heartbeat": { "method": "POST", "path": "/slow" } } }
            """, "slow.json");
        var before = FakeApp.SlowCalls;
        var driver = new HttpDriver(Client, _app.BaseAddress, profile, null,
            new HttpDriverOptions { RequestTimeout = TimeSpan.FromSeconds(1), RetryDelay = TimeSpan.FromMilliseconds(10) });

        var result = await driver.ExecuteAsync("heartbeat", new JObject());

        result.Error!.Kind.Should().Be("timeout");
        result.Exchange.Attempts.Should().Be(1);

        // On a loaded machine the request can reach the app only after the client gave up: wait for it, then make sure no retry follows.
        for (var waited = 0; FakeApp.SlowCalls == before && waited < 100; waited++)
        {
            await Task.Delay(50);
        }

        // A retry would arrive within a few retry delays; at most the one original request may have reached the app.
        await Task.Delay(1000);
        FakeApp.SlowCalls.Should().BeInRange(before, before + 1, "a timed-out POST is never sent again");
    }

    [Fact]
    public async Task UnreachableTarget_EveryCheckIsAnError_AndTheRunIsIncomplete()
    {
        var target = new Uri($"http://127.0.0.1:{TestSuites.FreePort()}/");
        var suite = Suites.SuiteLoader.LoadEmbedded();

        var report = await ConformanceRunner.RunAsync(suite, TestSuites.Profile, Driver(target: target), target.ToString());

        report.Cases.Should().HaveCount(suite.Checks.Sum(c => c.Cases(TestSuites.Profile.Fixtures).Count()));
        report.Cases.Should().OnlyContain(c => c.Verdict == CaseVerdict.Error && c.Message.Contains("target unreachable"));
        report.Verdict.Should().Be(RunVerdict.Incomplete);
    }
}
