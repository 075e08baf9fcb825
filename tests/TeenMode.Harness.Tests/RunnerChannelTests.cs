using Newtonsoft.Json.Linq;
using TeenMode.Harness.Profiling;
using TeenMode.Harness.Running;
using TeenMode.Harness.Tests.Support;

namespace TeenMode.Harness.Tests;

/// <summary>What the runner does for apps not shaped like the SDK: explicit clock moves, decisions from heartbeat answers, scope and fixtures.</summary>
public class RunnerChannelTests
{
    private static AppProfile Profile(int formatVersion = 2, Dictionary<string, LocalizedText>? notOffered = null, Dictionary<string, IReadOnlyList<JObject>>? fixtures = null) =>
        new("p", "1", ["subject-setup", "virtual-clock", "guardian", "games"], [], new Dictionary<string, string>(), new Dictionary<string, ActionMapping>())
        {
            FormatVersion = formatVersion,
            NotOffered = notOffered ?? [],
            Fixtures = fixtures ?? [],
        };

    private static Task<RunReport> Run(string checks, FakeDriver driver, AppProfile profile, string scope = "") =>
        ConformanceRunner.RunAsync(
            Suites.SuiteLoader.Parse(TestSuites.Document(checks).Replace("\"checks\":", scope + "\"checks\":", StringComparison.Ordinal), "test.json"),
            profile, driver, "fake://app", new RunOptions { RunId = "run1" });

    private const string Scope = """
        "scope": { "mandatory": { "guardian": { "zh-CN": "监护人", "en": "guardian" } }, "conditional": { "games": { "zh-CN": "游戏", "en": "games" } } },
        """;

    [Fact]
    public async Task Advance_MovesTheClockBeforeEachIteration()
    {
        var driver = new FakeDriver("virtual-clock").On("advanceClock", _ => (200, new JObject())).On("heartbeat", _ => (200, new JObject { ["allowed"] = true }));

        var report = await Run(TestSuites.Check("A-1", """{ "action": "heartbeat", "repeat": 3, "advance": 60, "args": { "sequence": "${i}" }, "expect": { "status": 200 } }""", "\"virtual-clock\""), driver, Profile());

        report.Cases.Single().Verdict.Should().Be(CaseVerdict.Passed, report.Cases.Single().Message);
        driver.Calls.Select(c => c.Action).Should().Equal("advanceClock", "heartbeat", "advanceClock", "heartbeat", "advanceClock", "heartbeat");
        driver.Calls.Where(c => c.Action == "advanceClock").Should().OnlyContain(c => (int)c.Args["seconds"]! == 60);
    }

    [Fact]
    public async Task WithoutAUsageQuery_TheDecisionIsTheLatestHeartbeatsAnswer()
    {
        var used = 0;
        var driver = new FakeDriver().On("heartbeat", a =>
        {
            used += (int)a["seconds"]!;
            return (200, new JObject { ["allowed"] = used < 120, ["reasonCode"] = used < 120 ? null : "daily-limit-reached" });
        });
        const string steps = """
            { "action": "heartbeat", "args": { "subjectId": "s1", "sequence": 1, "seconds": 60 }, "expect": { "status": 200 } },
            { "action": "checkUsage", "args": { "subjectId": "s1" }, "expect": { "allowed": true } },
            { "action": "heartbeat", "args": { "subjectId": "s1", "sequence": 2, "seconds": 60 }, "expect": { "status": 200 } },
            { "action": "checkUsage", "args": { "subjectId": "s1" }, "expect": { "allowed": false, "reasonCode": "daily-limit-reached" } }
            """;

        var report = await Run(TestSuites.Check("A-1", steps), driver, Profile());

        report.Cases.Single().Verdict.Should().Be(CaseVerdict.Passed, report.Cases.Single().Message);
        driver.Calls.Should().HaveCount(2, "the decisions were read from the heartbeats' answers, with no extra request");
        report.Cases.Single().Steps.Where(s => s.Action == "checkUsage").Should().OnlyContain(s => s.Note!.Contains("heartbeat answer"));
    }

    [Fact]
    public async Task WithoutAUsageQuery_AfterTheClockMoved_TheDecisionIsProbedWithAOneSecondHeartbeat()
    {
        var driver = new FakeDriver("virtual-clock").On("setClock", _ => (200, new JObject()))
            .On("heartbeat", a => (200, new JObject { ["allowed"] = false, ["reasonCode"] = "curfew" }));
        const string steps = """
            { "action": "heartbeat", "args": { "subjectId": "s1", "sequence": 1, "seconds": 60 }, "expect": { "status": 200 } },
            { "action": "setClock", "args": { "local": "2026-03-04T22:00:00" }, "expect": { "status": 200 } },
            { "action": "checkUsage", "args": { "subjectId": "s1" }, "expect": { "allowed": false, "reasonCode": "curfew" } }
            """;

        var report = await Run(TestSuites.Check("A-1", steps, "\"virtual-clock\""), driver, Profile());

        report.Cases.Single().Verdict.Should().Be(CaseVerdict.Passed, report.Cases.Single().Message);
        var probe = driver.Calls[^1];
        probe.Action.Should().Be("heartbeat");
        ((int)probe.Args["seconds"]!).Should().Be(1);
        probe.Args["deviceId"]!.ToString().Should().Be("conformance-probe");
    }

    [Fact]
    public async Task StatusComparesByClass_ForFormat2Profiles_AndExactlyForFormat1()
    {
        var driver = new FakeDriver().On("createSubject", _ => (200, new JObject { ["subjectId"] = "s" }));
        var check = TestSuites.Check("A-1", """{ "action": "createSubject", "args": {}, "expect": { "status": 201 } }""");

        (await Run(check, driver, Profile(formatVersion: 2))).Cases.Single().Verdict.Should().Be(CaseVerdict.Passed);
        (await Run(check, driver, Profile(formatVersion: 1))).Cases.Single().Verdict.Should().Be(CaseVerdict.Failed);
    }

    [Fact]
    public async Task DeclaringAMandatoryFunctionNotOffered_FailsItsChecks_WithTheStatement_WhileAConditionalOneIsNotApplicable()
    {
        var driver = new FakeDriver("guardian", "games").On("exitTeenMode", _ => (200, new JObject())).On("checkGamePlay", _ => (200, new JObject()));
        var checks = TestSuites.Check("PC-1", """{ "action": "exitTeenMode", "args": {}, "expect": { "status": 200 } }""", "\"guardian\"")
            + "," + TestSuites.Check("GM-1", """{ "action": "checkGamePlay", "args": {}, "expect": { "status": 200 } }""", "\"games\"");
        var profile = Profile(notOffered: new()
        {
            ["guardian"] = new("本应用没有家长功能", "the app has no parental features"),
            ["games"] = new("没有游戏", "no games"),
        });

        var report = await Run(checks, driver, profile, Scope);

        var pc = report.Cases.Single(c => c.Check.Id == "PC-1");
        pc.Verdict.Should().Be(CaseVerdict.Failed);
        pc.Message.Should().Contain("the app has no parental features").And.Contain("must have");
        report.Cases.Single(c => c.Check.Id == "GM-1").Verdict.Should().Be(CaseVerdict.NotApplicable);
        report.Verdict.Should().Be(RunVerdict.NonConformant);
        driver.Calls.Should().BeEmpty();
        Reporting.MarkdownReport.Render(report).Should().Contain("declared scope").And.Contain("**必备 / mandatory**").And.Contain("the app has no parental features");
    }

    [Fact]
    public async Task FixtureChecks_RunOncePerItemOfTheApp_AndAreSkippedWhenTheProfileNamesNone()
    {
        var driver = new FakeDriver().On("checkContent", a => (200, new JObject { ["allowed"] = a["itemId"]!.ToString() == "v-ok" }));
        var check = """
            { "id": "CP-FIX", "title": { "zh-CN": "固定", "en": "fixtures" }, "function": "content-pool", "severity": "critical",
              "requirementIds": ["CAC-MM-CURFEW-01"], "capabilities": [], "forEachFixture": { "list": "catalog", "vars": ["itemId", "inPool"] },
              "steps": [ { "action": "checkContent", "args": { "itemId": "${itemId}" }, "expect": { "allowed": "${inPool}" } } ] }
            """;
        var fixtures = new Dictionary<string, IReadOnlyList<JObject>>
        {
            ["catalog"] = [new JObject { ["itemId"] = "v-ok", ["inPool"] = true }, new JObject { ["itemId"] = "v-adult", ["inPool"] = false }, new JObject { ["itemId"] = "v-bad", ["inPool"] = true }],
        };

        var report = await Run(check, driver, Profile(fixtures: fixtures));
        var none = await Run(check, driver, Profile());

        report.Cases.Select(c => (c.Id, c.Verdict)).Should().Equal(("CP-FIX[v-ok]", CaseVerdict.Passed), ("CP-FIX[v-adult]", CaseVerdict.Passed), ("CP-FIX[v-bad]", CaseVerdict.Failed));
        none.Cases.Single().Verdict.Should().Be(CaseVerdict.Skipped);
        none.Cases.Single().Message.Should().Contain("catalog");
    }
}
