using FluentAssertions;
using Newtonsoft.Json.Linq;
using TeenMode.Harness.Cli;
using Xunit;

namespace TeenMode.IntegrationTests;

/// <summary>The <c>teenmode</c> commands as a user runs them, in-process.</summary>
public sealed class CliTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("teenmode-cli-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task Demo_WritesAConformantJsonReport_AndAnHtmlReport()
    {
        var outDir = Path.Combine(_dir.FullName, "reports");

        var (code, stdout, stderr) = await RunAsync("demo", "--out", outDir);

        code.Should().Be(0, stderr);
        var report = JObject.Parse(await File.ReadAllTextAsync(Path.Combine(outDir, "report.json")));
        report["verdict"]!.ToString().Should().Be("conformant");
        var checks = report["checks"]!.Children<JObject>().ToList();
        checks.Select(c => c["checkId"]!.ToString()).Should().Contain(["AA-CURFEW-BOUNDARY", "AA-DAILY-LIMIT", "PC-EXIT-GUARDIAN", "CP-OUT-OF-POOL", "RP-RECEIPT-IDEMPOTENT"]);
        checks.Should().OnlyContain(c => c["verdict"]!.ToString() == "passed" && c["requirementIds"]!.HasValues);
        var html = await File.ReadAllTextAsync(Path.Combine(outDir, "report.html"));
        html.Should().Contain("AA-CURFEW-BOUNDARY").And.NotContain("<script src=").And.NotContain("<link rel=\"stylesheet\"");
        stdout.Should().Contain(Path.Combine(outDir, "report.json"));
    }

    [Fact]
    public async Task Demo_UsesTheGivenRulePack_SoALooserDailyLimitIsCaught()
    {
        var file = await LooseRulePackAsync();

        var (code, _, stderr) = await RunAsync("demo", "--rules", file, "--out", Path.Combine(_dir.FullName, "r"));

        code.Should().Be(1, stderr);
        var report = JObject.Parse(await File.ReadAllTextAsync(Path.Combine(_dir.FullName, "r", "report.json")));
        report["verdict"]!.ToString().Should().Be("non-conformant");
        report["checks"]!.Where(c => c["verdict"]!.ToString() != "passed").Select(c => $"{c["id"]}: {c["verdict"]}")
            .Should().Equal(LooseBudgetCases.Select(id => $"{id}: failed"));
    }

    [Fact]
    public async Task Demo_WaivedFailure_DoesNotFailTheGate_ButStaysInTheReport()
    {
        var rules = await LooseRulePackAsync();
        var waivers = Path.Combine(_dir.FullName, "waivers.json");
        var entries = LooseBudgetCases.Select(id => $$"""{ "checkId": "{{id.Split('[')[0]}}", "reason": "pack under review", "owner": "qa", "expires": "2999-12-31" }""");
        await File.WriteAllTextAsync(waivers, $$"""{ "waivers": [ {{string.Join(", ", entries)}} ] }""");

        var (code, stdout, stderr) = await RunAsync("demo", "--rules", rules, "--waivers", waivers, "--out", Path.Combine(_dir.FullName, "w"));

        code.Should().Be(0, stderr);
        stdout.Should().Contain("waived: AA-DAILY-LIMIT[band 12-16]");
        var report = JObject.Parse(await File.ReadAllTextAsync(Path.Combine(_dir.FullName, "w", "report.json")));
        report["verdict"]!.ToString().Should().Be("non-conformant");
        report["gate"]!["failures"]!.Select(f => f["treatment"]!.ToString()).Should().Equal(LooseBudgetCases.Select(_ => "waived"));
    }

    [Fact]
    public async Task Rerun_RepeatsOnlyTheFailedCase_AndCarriesTheRest()
    {
        var first = Path.Combine(_dir.FullName, "first");
        (await RunAsync("demo", "--rules", await LooseRulePackAsync(), "--out", first)).Code.Should().Be(1);

        var second = Path.Combine(_dir.FullName, "second");
        var (code, stdout, stderr) = await RunAsync("demo", "--rerun", Path.Combine(first, "report.json"), "--out", second);

        code.Should().Be(0, stderr);
        var others = TeenMode.Harness.Suites.SuiteLoader.LoadEmbedded().Checks.Sum(c => c.Cases(TeenMode.Harness.Profiling.ProfileLoader.LoadBuiltin().Fixtures).Count()) - LooseBudgetCases.Length;
        stdout.Should().Contain($"re-running {LooseBudgetCases.Length} failed or errored case(s), carrying over {others}");
        var report = JObject.Parse(await File.ReadAllTextAsync(Path.Combine(second, "report.json")));
        report["checks"]!.Select(c => c["id"]!.ToString()).Should().Equal(LooseBudgetCases);
        report["carriedOver"]!.Should().HaveCount(others);
        report["verdict"]!.ToString().Should().Be("conformant");
    }

    [Fact]
    public async Task SignedDemoReports_Verify_AndOneEditedByteIsCaught()
    {
        var prefix = Path.Combine(_dir.FullName, "auditor");
        (await RunAsync("keygen", prefix)).Code.Should().Be(0);
        var outDir = Path.Combine(_dir.FullName, "signed");
        (await RunAsync("demo", "--out", outDir, "--sign", prefix + ".key.pem")).Code.Should().Be(0);

        (await RunAsync("verify", outDir, "--public-key", prefix + ".pub.pem")).Code.Should().Be(0);

        var json = Path.Combine(outDir, "report.json");
        var bytes = await File.ReadAllBytesAsync(json);
        var at = Array.IndexOf(bytes, (byte)'p', bytes.Length / 2);
        bytes[at] = (byte)'P';
        await File.WriteAllBytesAsync(json, bytes);
        var (code, _, stderr) = await RunAsync("verify", outDir, "--public-key", prefix + ".pub.pem");
        code.Should().Be(1);
        stderr.Should().Contain("report.json");
    }

    [Theory]
    [InlineData("run")]
    [InlineData("demo")]
    [InlineData("selftest")]
    [InlineData("list")]
    [InlineData("lint")]
    [InlineData("keygen")]
    [InlineData("sign")]
    [InlineData("verify")]
    [InlineData("diff")]
    public async Task EveryCommand_HasHelpWithExamples(string command)
    {
        var (code, stdout, _) = await RunAsync(command, "--help");

        code.Should().Be(0);
        stdout.Should().Contain("Examples:").And.Contain($"teenmode {command}");
    }

    [Theory]
    [InlineData("demo")]
    [InlineData("selftest")]
    [InlineData("lint")]
    public async Task RulePackWithSyntaxError_ExitsWith2_NamingFileLineAndColumn(string command)
    {
        var file = Path.Combine(_dir.FullName, "broken.json");
        await File.WriteAllTextAsync(file, "{\n  \"id\": \"x\",\n  \"bands\": [ { \"fromAge\": 0,, } ]\n}\n");

        var (code, _, stderr) = await RunAsync(command == "lint" ? ["lint", file] : [command, "--rules", file]);

        code.Should().Be(2);
        stderr.Should().MatchRegex(@"broken\.json:3:\d+: ");
        stderr.Should().NotContain("   at ");
    }

    [Fact]
    public async Task RulePackWithInvalidValue_ExitsWith2_PointingAtTheValue()
    {
        var lines = await File.ReadAllLinesAsync(SeedPath("rules", "cn-cac-2024.json"));
        var row = Array.FindIndex(lines, l => l.Contains("\"value\": 120", StringComparison.Ordinal));
        lines[row] = lines[row].Replace("\"value\": 120", "\"value\": -5", StringComparison.Ordinal);
        var file = Path.Combine(_dir.FullName, "negative.json");
        await File.WriteAllLinesAsync(file, lines);

        var (code, _, stderr) = await RunAsync("demo", "--rules", file);

        code.Should().Be(2);
        stderr.Should().Contain($"negative.json:{row + 1}:");
        stderr.Should().NotContain("   at ");
    }

    [Fact]
    public async Task SuiteWithSyntaxError_ExitsWith2_NamingFileLineAndColumn()
    {
        var file = Path.Combine(_dir.FullName, "suite.json");
        await File.WriteAllTextAsync(file, "{\n  \"id\": \"s\"\n  \"checks\": []\n}\n");

        var (code, _, stderr) = await RunAsync("demo", "--suite", file);

        code.Should().Be(2);
        stderr.Should().MatchRegex(@"suite\.json:3:\d+: ");
        stderr.Should().NotContain("   at ");
    }

    [Fact]
    public async Task Run_AgainstAnAppThatIsDown_IsAnError_NeverPassedOrFailed()
    {
        var port = FreePort();
        var outDir = Path.Combine(_dir.FullName, "down");

        var (code, _, _) = await RunAsync("run", "--target", $"http://127.0.0.1:{port}/", "--conformance-key", "0123456789abcdef0123456789abcdef", "--timeout", "2", "--out", outDir);

        code.Should().Be(3);
        var report = JObject.Parse(await File.ReadAllTextAsync(Path.Combine(outDir, "report.json")));
        report["verdict"]!.ToString().Should().Be("incomplete");
        report["checks"]!.Should().OnlyContain(c => c["verdict"]!.ToString() == "error");
    }

    /// <summary>The cases that use up or read band 12-16's daily budget, so the loose pack fails them (in suite order).</summary>
    private static readonly string[] LooseBudgetCases = ["AA-DAILY-LIMIT[band 12-16]", "AA-DAY-ROLLOVER-LOCAL", "AA-BUDGET-DEVICES"];

    /// <summary>The built-in pack with 90 daily minutes for [12,16): the daily-limit checks must fail on it.</summary>
    private async Task<string> LooseRulePackAsync()
    {
        var pack = JObject.Parse(await File.ReadAllTextAsync(SeedPath("rules", "cn-cac-2024.json")));
        pack["bands"]![3]!["dailyMinutes"]!["value"] = 90;
        var file = Path.Combine(_dir.FullName, "loose.json");
        await File.WriteAllTextAsync(file, pack.ToString());
        return file;
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await Cli.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string SeedPath(params string[] parts) => Path.Combine([RepoPaths.Root, "seeds", .. parts]);
}
