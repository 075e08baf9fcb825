using Newtonsoft.Json.Linq;
using TeenMode.Harness.Drivers;
using TeenMode.Harness.Profiling;
using TeenMode.Harness.Running;
using TeenMode.Harness.Tests.Support;

namespace TeenMode.Harness.Tests;

public class RunnerTests
{
    private static Task<RunReport> Run(string checks, FakeDriver driver) =>
        ConformanceRunner.RunAsync(TestSuites.Parse(checks), TestSuites.Profile, driver, "fake://app", new RunOptions { RunId = "run1" });

    [Fact]
    public async Task Repeat_RunsTheStepNTimes_WithTheIterationVariable()
    {
        var driver = new FakeDriver().On("heartbeat", _ => (200, new JObject { ["allowed"] = true }));
        const string steps = """{ "action": "heartbeat", "repeat": "${n}", "args": { "sequence": "${i}", "tag": "seq-${i}" }, "expect": { "status": 200 } }""";

        var report = await Run(TestSuites.Check("A-1", steps, parameters: """[{ "name": "three", "vars": { "n": 3 } }]"""), driver);

        report.Cases.Should().ContainSingle().Which.Verdict.Should().Be(CaseVerdict.Passed);
        driver.Calls.Select(c => c.Args["sequence"]!.Type).Should().AllBeEquivalentTo(JTokenType.Integer);
        driver.Calls.Select(c => (int)c.Args["sequence"]!).Should().Equal(1, 2, 3);
        driver.Calls.Select(c => (string)c.Args["tag"]!).Should().Equal("seq-1", "seq-2", "seq-3");
        report.Cases[0].Steps.Select(s => s.Iteration).Should().Equal(1, 2, 3);
    }

    [Fact]
    public async Task Save_CopiesResultFieldsIntoLaterSteps_AndBuiltinsAreSet()
    {
        var driver = new FakeDriver()
            .On("createSubject", _ => (201, new JObject { ["subjectId"] = "s-42" }))
            .On("getSubject", args => (200, new JObject { ["teenMode"] = true, ["echo"] = args["subjectId"] }));
        const string steps = """
            { "action": "createSubject", "args": { "age": 13, "key": "${runId}/${caseId}/${checkId}" }, "save": { "sid": "subjectId" } },
            { "action": "getSubject", "args": { "subjectId": "${sid}" }, "expect": { "echo": "${sid}", "teenMode": true } }
            """;

        var report = await Run(TestSuites.Check("A-1", steps), driver);

        report.Cases[0].Verdict.Should().Be(CaseVerdict.Passed, report.Cases[0].Message);
        driver.Calls[0].Args["key"]!.ToString().Should().Be("run1/A-1/A-1");
        driver.Calls[1].Args["subjectId"]!.ToString().Should().Be("s-42");
    }

    [Fact]
    public async Task FailedExpectation_MessageNamesStepFieldExpectedAndActual_AndStopsTheCase()
    {
        var driver = new FakeDriver()
            .On("setClock", _ => (200, new JObject()))
            .On("checkUsage", _ => (200, new JObject { ["allowed"] = true, ["reasonCode"] = "allowed" }));
        const string steps = """
            { "action": "setClock", "args": { "local": "2026-03-04T22:00:00" } },
            { "action": "checkUsage", "args": {}, "expect": { "status": 200, "allowed": false } },
            { "action": "checkUsage", "args": {} }
            """;

        var report = await Run(TestSuites.Check("A-1", steps), driver);

        var result = report.Cases.Should().ContainSingle().Subject;
        result.Verdict.Should().Be(CaseVerdict.Failed);
        result.Message.Should().Be(
            "步骤 2（checkUsage） 字段 allowed：期望 false，实际 true / step 2 (checkUsage): field 'allowed' expected false, actual true [reasonCode allowed]");
        driver.Calls.Should().HaveCount(2);
        report.Verdict.Should().Be(RunVerdict.NonConformant);
    }

    [Fact]
    public async Task StatusExpectation_ComparesTheHttpStatus()
    {
        var driver = new FakeDriver().On("exitTeenMode", _ => (200, new JObject { ["allowed"] = true }));

        var report = await Run(TestSuites.Check("A-1", """{ "action": "exitTeenMode", "args": {}, "expect": { "status": 403 } }"""), driver);

        report.Cases[0].Message.Should().Contain("field 'status' expected 403, actual 200");
    }

    [Fact]
    public async Task OptionalExpectation_IsSkippedWhenTheParameterSetDoesNotDefineIt()
    {
        var driver = new FakeDriver().On("checkUsage", _ => (200, new JObject { ["allowed"] = true, ["reasonCode"] = "rest-reminder" }));
        const string steps = """{ "action": "checkUsage", "args": {}, "expect": { "allowed": "${allowed}", "reasonCode": "${reasonCode?}" } }""";
        const string parameters = """[{ "name": "a", "vars": { "allowed": true } }, { "name": "b", "vars": { "allowed": true, "reasonCode": "allowed" } }]""";

        var report = await Run(TestSuites.Check("A-1", steps, parameters: parameters), driver);

        report.Cases.Select(c => (c.Id, c.Verdict)).Should().Equal(("A-1[a]", CaseVerdict.Passed), ("A-1[b]", CaseVerdict.Failed));
    }

    [Fact]
    public async Task MissingCapability_SkipsTheCase_SayingWhich()
    {
        var driver = new FakeDriver("subject-setup").On("checkUsage", _ => (200, new JObject()));

        var report = await Run(TestSuites.Check("A-1", """{ "action": "checkUsage", "args": {} }""", "\"subject-setup\", \"virtual-clock\""), driver);

        report.Cases[0].Verdict.Should().Be(CaseVerdict.Skipped);
        report.Cases[0].Message.Should().Contain("virtual-clock").And.NotContain("subject-setup");
        driver.Calls.Should().BeEmpty();
        report.Verdict.Should().Be(RunVerdict.Incomplete);
    }

    [Fact]
    public async Task UnmappedAction_SkipsTheCase()
    {
        var report = await Run(TestSuites.Check("A-1", """{ "action": "purchase", "args": {} }"""), new FakeDriver());

        report.Cases[0].Verdict.Should().Be(CaseVerdict.Skipped);
        report.Cases[0].Message.Should().Contain("purchase");
    }

    [Fact]
    public async Task TransportErrorBeforeAnyResponse_MakesEveryCaseAnError()
    {
        var driver = new FakeDriver().On("checkUsage", _ => (200, new JObject()));
        driver.TransportError = new DriverError("transport", "connection refused");
        var checks = TestSuites.Check("A-1", """{ "action": "checkUsage", "args": {} }""") + "," + TestSuites.Check("B-1", """{ "action": "checkUsage", "args": {} }""");

        var report = await Run(checks, driver);

        report.Cases.Should().HaveCount(2).And.OnlyContain(c => c.Verdict == CaseVerdict.Error && c.Message.Contains("connection refused"));
        driver.Calls.Should().ContainSingle("the run stops probing once the target is known to be down");
        report.Verdict.Should().Be(RunVerdict.Incomplete);
    }

    [Fact]
    public async Task InfoProbeRefused_MakesEveryCaseAnError()
    {
        var driver = new FakeDriver()
            .On("info", _ => (401, new JObject { ["reasonCode"] = "conformance-key-required" }))
            .On("checkUsage", _ => (200, new JObject()));

        var report = await Run(TestSuites.Check("A-1", """{ "action": "checkUsage", "args": {} }"""), driver);

        report.Cases[0].Verdict.Should().Be(CaseVerdict.Error);
        report.Cases[0].Message.Should().Contain("HTTP 401");
    }

    [Fact]
    public async Task InfoCapabilities_NarrowTheProfilesCapabilities()
    {
        var driver = new FakeDriver("subject-setup", "content-setup")
            .On("info", _ => (200, new JObject { ["capabilities"] = new JArray("subject-setup") }))
            .On("checkContent", _ => (200, new JObject()));

        var report = await Run(TestSuites.Check("A-1", """{ "action": "checkContent", "args": {} }""", "\"content-setup\""), driver);

        report.Capabilities.Should().Equal("subject-setup");
        report.Cases[0].Verdict.Should().Be(CaseVerdict.Skipped);
    }

    [Fact]
    public async Task DeclaredNotOffered_IsNotApplicable_WithTheStatement_AndTheRunCanStillBeConformant()
    {
        var profile = ProfileLoader.LoadBuiltin() with
        {
            NotOffered = new Dictionary<string, LocalizedText> { ["payments"] = new("本应用无任何付费功能", "the app has no paid features") },
        };
        var driver = new FakeDriver("subject-setup").On("getSubject", _ => (200, new JObject { ["teenMode"] = true }));
        var suite = TestSuites.Parse(string.Join(",",
            TestSuites.Check("OK-1", """{ "action": "getSubject", "args": {}, "expect": { "teenMode": true } }"""),
            TestSuites.Check("PAY-1", """{ "action": "getSubject", "args": {} }""", "\"payments\"")));

        var report = await ConformanceRunner.RunAsync(suite, profile, driver, "http://x/");

        var pay = report.Cases.Single(c => c.Id == "PAY-1");
        pay.Verdict.Should().Be(CaseVerdict.NotApplicable);
        pay.Message.Should().Contain("the app has no paid features");
        driver.Calls.Should().ContainSingle("a not-applicable check sends nothing to the app");
        report.Verdict.Should().Be(RunVerdict.Conformant);
        Reporting.ReportJson.Build(report)["notOffered"]!["payments"]!["en"]!.ToString().Should().Be("the app has no paid features");
    }

    [Fact]
    public void Profile_DeclaringACapabilityBothOfferedAndNotOffered_IsRejectedAtTheDeclaration()
    {
        const string Json = """
            { "id": "p", "version": "1", "capabilities": ["spending"],
              "notOffered": { "spending": { "zh-CN": "无", "en": "none" } },
              "actions": { "info": { "method": "GET", "path": "/i" } } }
            """;

        var act = () => ProfileLoader.Parse(Json, "p.json");

        act.Should().Throw<TeenModeConfigurationException>().Which.Errors.Single().Line.Should().Be(2);
    }

    [Fact]
    public async Task ClockFreeCases_Overlap_ButVirtualClockCasesNeverDo()
    {
        var driver = new FakeDriver("subject-setup", "virtual-clock")
        {
            Delay = TimeSpan.FromMilliseconds(150),
        }
            .On("getSubject", _ => (200, new JObject { ["teenMode"] = true }))
            .On("checkUsage", _ => (200, new JObject { ["allowed"] = true }));
        var checks = Enumerable.Range(1, 4).Select(i => TestSuites.Check($"FREE-{i}", """{ "action": "getSubject", "args": {}, "expect": { "teenMode": true } }"""))
            .Concat(Enumerable.Range(1, 3).Select(i => TestSuites.Check($"CLOCK-{i}", """{ "action": "checkUsage", "args": {}, "expect": { "allowed": true } }""", "\"virtual-clock\"")));

        var report = await ConformanceRunner.RunAsync(TestSuites.Parse(string.Join(",", checks)), TestSuites.Profile, driver, "fake://app", new RunOptions { MaxParallel = 3 });

        driver.MaxInFlight["getSubject"].Should().Be(3, "clock-free cases run in parallel up to the bound");
        driver.MaxInFlight["checkUsage"].Should().Be(1, "cases that move the global clock run one at a time");
        report.Cases.Select(c => c.Id).Should().Equal("FREE-1", "FREE-2", "FREE-3", "FREE-4", "CLOCK-1", "CLOCK-2", "CLOCK-3");
        report.Verdict.Should().Be(RunVerdict.Conformant);
    }

    [Fact]
    public async Task Interruption_WritesAPartialReport_MarkedIncomplete()
    {
        using var cts = new CancellationTokenSource();
        var driver = new FakeDriver("subject-setup", "virtual-clock").On("checkUsage", _ => (200, new JObject { ["allowed"] = true }));
        var checks = Enumerable.Range(1, 4).Select(i => TestSuites.Check($"C-{i}", """{ "action": "checkUsage", "args": {}, "expect": { "allowed": true } }""", "\"virtual-clock\""));
        var options = new RunOptions { OnCaseFinished = r => { if (r.Id == "C-2") { cts.Cancel(); } } };

        var report = await ConformanceRunner.RunAsync(TestSuites.Parse(string.Join(",", checks)), TestSuites.Profile, driver, "fake://app", options, cts.Token);

        report.Interrupted.Should().BeTrue();
        report.Verdict.Should().Be(RunVerdict.Incomplete);
        report.Cases.Select(c => c.Verdict).Should().Equal(CaseVerdict.Passed, CaseVerdict.Passed, CaseVerdict.Skipped, CaseVerdict.Skipped);
        report.Cases[3].Message.Should().Contain("interrupted");
        driver.Calls.Should().HaveCount(2);
    }

    [Fact]
    public async Task Rerun_RunsOnlyTheGivenCases_AndCarriedVerdictsCount()
    {
        var driver = new FakeDriver("subject-setup").On("getSubject", _ => (200, new JObject { ["teenMode"] = true }));
        var suite = TestSuites.Parse(string.Join(",",
            TestSuites.Check("A", """{ "action": "getSubject", "args": {}, "expect": { "teenMode": true } }"""),
            TestSuites.Check("B", """{ "action": "getSubject", "args": {}, "expect": { "teenMode": true } }""")));

        var fixedRun = await ConformanceRunner.RunAsync(suite, TestSuites.Profile, driver, "fake://app",
            new RunOptions { OnlyCases = new HashSet<string> { "B" }, CarriedOver = [new CarriedCase("A", CaseVerdict.Passed)], RerunOf = "r0" });
        var stillBroken = await ConformanceRunner.RunAsync(suite, TestSuites.Profile, driver, "fake://app",
            new RunOptions { OnlyCases = new HashSet<string> { "B" }, CarriedOver = [new CarriedCase("A", CaseVerdict.Failed)] });

        fixedRun.Cases.Select(c => c.Id).Should().Equal("B");
        fixedRun.Verdict.Should().Be(RunVerdict.Conformant);
        Reporting.ReportJson.Build(fixedRun)["rerunOf"]!.ToString().Should().Be("r0");
        stillBroken.Verdict.Should().Be(RunVerdict.NonConformant, "a failure carried over from the previous run still counts");
    }
}
