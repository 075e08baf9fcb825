using Newtonsoft.Json.Linq;
using TeenMode.Harness.Gating;
using TeenMode.Harness.Running;
using TeenMode.Harness.Tests.Support;

namespace TeenMode.Harness.Tests;

public sealed class GateTests
{
    private static readonly DateOnly Today = new(2026, 11, 25);

    /// <summary>MAJOR-1 fails (major), MINOR-1 fails (minor), OK-1 passes.</summary>
    private static async Task<RunReport> Report(bool withError = false)
    {
        var driver = new FakeDriver("subject-setup")
            .On("checkUsage", _ => (200, new JObject { ["allowed"] = true }))
            .On("getSubject", _ => (200, new JObject { ["teenMode"] = true }));
        var checks = new List<string>
        {
            TestSuites.Check("OK-1", """{ "action": "getSubject", "args": {}, "expect": { "teenMode": true } }"""),
            TestSuites.Check("MAJOR-1", """{ "action": "checkUsage", "args": {}, "expect": { "allowed": false } }""").Replace("\"critical\"", "\"major\"", StringComparison.Ordinal),
            TestSuites.Check("MINOR-1", """{ "action": "checkUsage", "args": {}, "expect": { "allowed": false } }""").Replace("\"critical\"", "\"minor\"", StringComparison.Ordinal),
        };
        if (withError)
        {
            checks.Add(TestSuites.Check("SKIP-1", """{ "action": "checkUsage", "args": {} }""", "\"virtual-clock\""));
        }

        return await ConformanceRunner.RunAsync(TestSuites.Parse(string.Join(",", checks)), TestSuites.Profile, driver, "http://127.0.0.1:1/");
    }

    [Theory]
    [InlineData("minor", 1)]
    [InlineData("major", 1)]
    [InlineData("critical", 0)]
    public async Task FailOn_OnlyFailuresAtOrAboveTheSeverityBlock(string failOn, int exit)
    {
        var gate = Gate.Evaluate(await Report(), failOn, [], Today);

        gate.ExitCode.Should().Be(exit);
    }

    [Fact]
    public async Task ActiveWaiver_StopsItsCheckFromBlocking_ButNotOthers()
    {
        var report = await Report();

        var onlyMajor = Gate.Evaluate(report, "minor", [new Waiver("MAJOR-1", "fix in 2.4", "alice", Today)], Today);
        var both = Gate.Evaluate(report, "minor", [new Waiver("MAJOR-1", "r", "alice", Today), new Waiver("MINOR-1", "r", "bob", Today.AddDays(3))], Today);

        onlyMajor.ExitCode.Should().Be(1, "MINOR-1 still fails and is not waived");
        onlyMajor.Failures.Should().Contain(("MAJOR-1", GateTreatment.Waived)).And.Contain(("MINOR-1", GateTreatment.Blocking));
        both.ExitCode.Should().Be(0);
    }

    [Fact]
    public async Task ExpiredWaiver_BlocksAgain_AndIsReported()
    {
        var waiver = new Waiver("MAJOR-1", "r", "alice", Today.AddDays(-1));

        var gate = Gate.Evaluate(await Report(), "major", [waiver], Today);

        gate.ExitCode.Should().Be(1);
        gate.ExpiredWaivers.Should().Equal(waiver);
    }

    [Fact]
    public async Task WaiverForAPassingCheck_IsStale()
    {
        var gate = Gate.Evaluate(await Report(), "critical", [new Waiver("OK-1", "r", "alice", Today)], Today);

        gate.StaleWaivers.Select(w => w.CheckId).Should().Equal("OK-1");
    }

    [Fact]
    public async Task SkippedOrErroredCases_AreNeverWaivedIntoAPass()
    {
        var gate = Gate.Evaluate(await Report(withError: true), "critical", [new Waiver("SKIP-1", "r", "a", Today)], Today);

        gate.ExitCode.Should().Be(ExitCodes.Incomplete);
    }

    [Fact]
    public void WaiverFile_Errors_NameLineAndColumn()
    {
        const string Json = """
            { "waivers": [
              { "checkId": "AA-1", "reason": "r", "owner": "o", "expires": "2026-13-01" },
              { "checkId": "", "reason": "r", "owner": "o", "expires": "2026-12-01" }
            ] }
            """;

        var act = () => WaiverLoader.Parse(Json, "waivers.json");

        var errors = act.Should().Throw<TeenModeConfigurationException>().Which.Errors.Select(e => e.ToString()).ToList();
        errors.Should().Contain(e => e.StartsWith("waivers.json:2:", StringComparison.Ordinal) && e.Contains("expires", StringComparison.Ordinal));
        errors.Should().Contain(e => e.StartsWith("waivers.json:3:", StringComparison.Ordinal) && e.Contains("checkId", StringComparison.Ordinal));
        FluentActions.Invoking(() => WaiverLoader.Parse("{ \"waivers\": [ }", "w.json"))
            .Should().Throw<TeenModeConfigurationException>().Which.Errors.Single().Line.Should().Be(1);
    }

    [Fact]
    public void Diff_FindsNewFailuresFixesAndChangedEvidence()
    {
        static JObject Case(string id, string verdict, int status = 200, string field = "allowed") => new()
        {
            ["id"] = id,
            ["verdict"] = verdict,
            ["steps"] = new JArray(new JObject { ["action"] = "checkUsage", ["method"] = "GET", ["status"] = status, ["responseBody"] = new JObject { [field] = true, ["subjectId"] = Guid.NewGuid().ToString() } }),
        };
        var baseline = new JObject { ["checks"] = new JArray(Case("A", "passed"), Case("B", "failed"), Case("C", "passed"), Case("D", "passed"), Case("GONE", "passed")) };
        var current = new JObject { ["checks"] = new JArray(Case("A", "failed"), Case("B", "passed"), Case("C", "passed", 403), Case("D", "passed"), Case("NEW", "failed")) };

        var diff = ReportDiff.Compare(baseline, current);

        diff.NewFailures.Should().Equal("A", "NEW");
        diff.Fixes.Should().Equal("B");
        diff.ChangedEvidence.Should().Equal(["C"], "a random id in the answer is not a change, a different status is");
        diff.Added.Should().Equal("NEW");
        diff.Removed.Should().Equal("GONE");
    }
}
