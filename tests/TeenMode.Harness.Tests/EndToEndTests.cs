using Newtonsoft.Json.Linq;
using TeenMode.Harness.Cli;
using TeenMode.Harness.Profiling;
using TeenMode.Harness.Running;
using TeenMode.Harness.Suites;
using TeenMode.Harness.Tests.Support;

namespace TeenMode.Harness.Tests;

/// <summary>The CLI against a tiny fake app over real HTTP, and against the real sample app.</summary>
public sealed class EndToEndTests : IAsyncLifetime
{
    private const string Suite = """
        {
          "formatVersion": 2, "id": "e2e", "version": "1", "title": { "zh-CN": "端到端", "en": "End to end" },
          "checks": [
            {
              "id": "E2E-EXIT", "title": { "zh-CN": "错误 PIN 不能退出", "en": "A wrong PIN cannot exit" },
              "function": "parental-control", "severity": "critical", "requirementIds": ["CAC-MM-EXIT-01"],
              "capabilities": ["subject-setup", "virtual-clock", "guardian"],
              "steps": [
                { "action": "setClock", "args": { "local": "2026-03-04T10:00:00" }, "expect": { "status": 200 } },
                { "action": "createSubject", "args": { "age": 13, "teenMode": true }, "save": { "subjectId": "subjectId" }, "expect": { "status": 201 } },
                { "action": "bindGuardian", "args": { "subjectId": "${subjectId}", "guardianId": "g1", "pin": "246810" }, "expect": { "status": 201 } },
                { "action": "exitTeenMode", "args": { "subjectId": "${subjectId}", "guardianPin": "135790" },
                  "expect": { "status": 403, "reasonCode": "guardian-verification-failed" } },
                { "action": "checkUsage", "args": { "subjectId": "${subjectId}" }, "expect": { "allowed": true } }
              ]
            },
            {
              "id": "E2E-REPORT", "title": { "zh-CN": "举报幂等", "en": "Idempotent reports" },
              "function": "reporting", "severity": "major", "requirementIds": ["MPL-78"], "capabilities": ["reporting"],
              "steps": [
                { "action": "fileReport", "args": { "idempotencyKey": "k-${runId}", "reporterKind": "minor", "category": "bullying", "targetKind": "user", "targetId": "u1" },
                  "save": { "reportId": "reportId" }, "expect": { "status": 201 } },
                { "action": "fileReport", "args": { "idempotencyKey": "k-${runId}", "reporterKind": "minor", "category": "bullying", "targetKind": "user", "targetId": "u1" },
                  "expect": { "status": 200, "reportId": "${reportId}" } }
              ]
            },
            {
              "id": "E2E-POOL", "title": { "zh-CN": "内容池", "en": "Content pool" },
              "function": "content-pool", "severity": "critical", "requirementIds": ["CAC-MM-CONTENT-01"], "capabilities": ["content-setup"],
              "steps": [ { "action": "createContent", "args": { "bands": [] } } ]
            }
          ]
        }
        """;

    private FakeApp _app = null!;
    private DirectoryInfo _dir = null!;

    public async Task InitializeAsync()
    {
        _app = await FakeApp.StartAsync();
        _dir = Directory.CreateTempSubdirectory("teenmode-e2e-");
        await File.WriteAllTextAsync(Path.Combine(_dir.FullName, "e2e.json"), Suite);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _dir.Delete(recursive: true);
    }

    private static async Task<(int Code, string Out, string Err)> Cli(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await Harness.Cli.Cli.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private string SuitePath => Path.Combine(_dir.FullName, "e2e.json");

    private string OutDir => Path.Combine(_dir.FullName, "out");

    [Fact]
    public async Task Run_OnePassOneFailOneSkip_IsNonConformant_WithRedactedEvidence()
    {
        var (code, stdout, _) = await Cli("run", "--target", _app.BaseAddress.ToString(), "--suite", SuitePath,
            "--conformance-key", FakeApp.Key, "--out", OutDir);

        code.Should().Be(ExitCodes.NonConformant, stdout);
        stdout.Should().Contain("PASS  E2E-EXIT").And.Contain("FAIL  E2E-REPORT").And.Contain("SKIP  E2E-POOL")
            .And.Contain(Path.Combine(OutDir, "report.json")).And.NotContain("\u001b[");
        var text = await File.ReadAllTextAsync(Path.Combine(OutDir, "report.json"));
        var report = JObject.Parse(text);
        report["verdict"]!.ToString().Should().Be("non-conformant");
        report["checks"]!.Select(c => (string)c["verdict"]!).Should().Equal("passed", "failed", "skipped");
        report["checks"]![1]!["message"]!.ToString().Should().Contain("step 2 (fileReport): field 'status' expected 200, actual 201");
        text.Should().NotContain("246810").And.NotContain("135790").And.NotContain(FakeApp.Key);
        (await File.ReadAllTextAsync(Path.Combine(OutDir, "report.html"))).Should().NotContain("246810").And.NotContain(FakeApp.Key);
    }

    [Fact]
    public async Task Run_WrongKey_IsIncomplete()
    {
        var (code, stdout, _) = await Cli("run", "--target", _app.BaseAddress.ToString(), "--suite", SuitePath,
            "--conformance-key", "wrong-key-wrong-key-wrong-key-0123", "--out", OutDir);

        code.Should().Be(ExitCodes.Incomplete, stdout);
        stdout.Should().Contain("HTTP 401");
    }

    [Fact]
    public async Task Run_UnreachableTarget_ExitsWith3()
    {
        var (code, stdout, _) = await Cli("run", "--target", $"http://127.0.0.1:{TestSuites.FreePort()}/", "--suite", SuitePath,
            "--conformance-key", FakeApp.Key, "--out", OutDir, "--timeout", "2");

        code.Should().Be(ExitCodes.Incomplete);
        stdout.Should().Contain("target unreachable").And.Contain("incomplete");
    }

    [Fact]
    public async Task Lint_InvalidSuite_PrintsFileLineColumn_WithoutStackTrace_AndExitsWith2()
    {
        var bad = Path.Combine(_dir.FullName, "bad.json");
        await File.WriteAllTextAsync(bad, Suite.Replace("\"fileReport\"", "\"fileRepot\"", StringComparison.Ordinal));

        var (code, _, stderr) = await Cli("lint", bad);

        code.Should().Be(ExitCodes.UsageError);
        stderr.Should().MatchRegex($"^{System.Text.RegularExpressions.Regex.Escape(bad)}:\\d+:\\d+: unknown action 'fileRepot'");
        stderr.Should().NotContain("   at ");
    }

    [Fact]
    public async Task Lint_ValidSuiteAndProfile_ExitsWith0()
    {
        var profile = Path.Combine(SuiteLoaderTests.RepoRoot(), "harness", "TeenMode.Harness", "Profiles", "teenmode-sdk.json");
        var shipped = Path.Combine(SuiteLoaderTests.RepoRoot(), "seeds", "suites", "cn-minor-mode.json");

        var (code, stdout, stderr) = await Cli("lint", SuitePath, profile, shipped);

        code.Should().Be(0, stderr);
        stdout.Should().Contain("profile teenmode-sdk").And.Contain("suite cn-minor-mode");
    }

    [Fact]
    public async Task Run_InvalidSuite_AndBadArguments_ExitWith2()
    {
        (await Cli("run", "--target", _app.BaseAddress.ToString(), "--suite", "/nonexistent.json", "--conformance-key", FakeApp.Key)).Code
            .Should().Be(ExitCodes.UsageError);
        (await Cli("run", "--target", "not a url", "--conformance-key", FakeApp.Key)).Code.Should().Be(ExitCodes.UsageError);
        (await Cli("run", "--bogus")).Code.Should().Be(ExitCodes.UsageError);
        (await Cli()).Code.Should().Be(ExitCodes.UsageError);
    }

    [Fact]
    public async Task Demo_AgainstTheSampleApp_IsConformant()
    {
        var (code, stdout, stderr) = await Cli("demo", "--out", OutDir);

        code.Should().Be(ExitCodes.Conformant, stdout + stderr);
        stdout.Should().Contain("conformant");
        JObject.Parse(await File.ReadAllTextAsync(Path.Combine(OutDir, "report.json")))["summary"]!["passed"]!.Value<int>()
            .Should().Be(SuiteLoader.LoadEmbedded().Checks.Sum(c => c.Cases(ProfileLoader.LoadBuiltin().Fixtures).Count()), "every case of the shipped suite passes");
    }
}
