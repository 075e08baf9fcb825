using System.Diagnostics;
using Newtonsoft.Json.Linq;
using TeenMode.Harness.Cli;
using TeenMode.Harness.Profiling;
using TeenMode.Harness.Running;
using TeenMode.Harness.Suites;

namespace TeenMode.IntegrationTests;

/// <summary>
/// The profile mechanism, proved on an app with no TeenMode SDK: the Node.js sample
/// (<c>samples/NodeShortVideoApp</c>) with its own API, driven through its own profile.
/// </summary>
public sealed class NodeSampleAppTests : IAsyncLifetime
{
    private const string Key = "node-sample-conformance-key-0123";
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("teenmode-node-");
    private readonly List<NodeApp> _apps = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }

        _dir.Delete(recursive: true);
    }

    [Fact]
    public async Task FullBuiltInSuite_PassesAgainstTheNodeApp_ThroughItsOwnProfile()
    {
        var app = await StartAsync();
        var outDir = Path.Combine(_dir.FullName, "report");

        var (code, stdout, stderr) = await RunCliAsync("run", "--target", app.BaseAddress.ToString(), "--profile", ProfilePath,
            "--conformance-key", Key, "--out", outDir);

        code.Should().Be(0, $"stdout:\n{stdout}\nstderr:\n{stderr}\nnode stderr:\n{app.Stderr}");
        var report = JObject.Parse(await File.ReadAllTextAsync(Path.Combine(outDir, "report.json")));
        report["verdict"]!.ToString().Should().Be("conformant");
        report.SelectToken("$.profile.id")!.ToString().Should().Be("node-short-video");
        var checks = report["checks"]!.Children<JObject>().ToList();
        var fixtures = ProfileLoader.Load(ProfilePath).Fixtures;
        var expectedCases = SuiteLoader.LoadEmbedded().Checks.Sum(c => c.Cases(fixtures).Count());
        checks.Should().HaveCount(expectedCases);
        // The app takes no payments; its profile says so for the spending and refund checks (issue 3), which are then not applicable.
        var noPayments = SuiteLoader.LoadEmbedded().Checks.Where(c => c.Capabilities.Contains("spending") || c.Capabilities.Contains("refunds")).Select(c => c.Id).ToHashSet();
        noPayments.Should().NotBeEmpty();
        // Nor does it give guardians a usage report yet; its profile says so, and that check is not applicable.
        var noUsageReport = SuiteLoader.LoadEmbedded().Checks.Where(c => c.Capabilities.Contains("usage-report") && !noPayments.Contains(c.Id)).Select(c => c.Id).ToHashSet();
        noUsageReport.Should().NotBeEmpty();
        checks.Where(c => noUsageReport.Contains(c["checkId"]!.ToString()))
            .Should().OnlyContain(c => c["verdict"]!.ToString() == "not-applicable" && c["message"]!.ToString().Contains("usage report"));
        // Nor does it take OS age signals or follow a device's minor mode (issue 16), and without games it verifies no real names: declared too.
        string[] noAgeAssurance = ["real-name", "age-signals", "device-minor-mode"];
        var ageAssurance = SuiteLoader.LoadEmbedded().Checks.Where(c => c.Capabilities.Intersect(noAgeAssurance).Any()).Select(c => c.Id).ToHashSet();
        ageAssurance.Should().HaveCount(5);
        checks.Where(c => ageAssurance.Contains(c["checkId"]!.ToString()))
            .Should().OnlyContain(c => c["verdict"]!.ToString() == "not-applicable" && c["message"]!.ToString().Contains("does not offer"));
        checks.Where(c => !c["checkId"]!.ToString().StartsWith("AA-GAME-", StringComparison.Ordinal) && !noPayments.Contains(c["checkId"]!.ToString())
                && !noUsageReport.Contains(c["checkId"]!.ToString()) && !ageAssurance.Contains(c["checkId"]!.ToString()))
            .Should().OnlyContain(c => c["verdict"]!.ToString() == "passed", "every case of the built-in suite must pass");
        checks.Where(c => noPayments.Contains(c["checkId"]!.ToString()))
            .Should().NotBeEmpty().And.OnlyContain(c => c["verdict"]!.ToString() == "not-applicable" && c["message"]!.ToString().Contains("takes no payments"),
                "the app's profile declares it takes no payments");
        // The personal-information checks run against the app's own privacy routes, none skipped.
        checks.Where(c => c["checkId"]!.ToString().StartsWith("PI-", StringComparison.Ordinal)).Should()
            .HaveCount(SuiteLoader.LoadEmbedded().Checks.Where(c => c.Id.StartsWith("PI-", StringComparison.Ordinal)).Sum(c => c.Cases(fixtures).Count()))
            .And.OnlyContain(c => c["verdict"]!.ToString() == "passed");
        checks.Where(c => c["checkId"]!.ToString().StartsWith("AA-GAME-", StringComparison.Ordinal))
            .Should().NotBeEmpty().And.OnlyContain(c => c["verdict"]!.ToString() == "not-applicable" && c["message"]!.ToString().Contains("no online games"),
                "the app's profile declares it offers no games");
        report.SelectToken("$.notOffered.games.en")!.ToString().Should().Contain("no online games");
    }

    [Fact]
    public async Task Reports_NeverContainThePins_OrTheKey_EvenUnderTheAppsOwnFieldNames()
    {
        var app = await StartAsync();
        var outDir = Path.Combine(_dir.FullName, "redacted");

        var (code, _, stderr) = await RunCliAsync("run", "--target", app.BaseAddress.ToString(), "--profile", ProfilePath,
            "--conformance-key", Key, "--out", outDir);

        code.Should().Be(0, stderr);
        var json = await File.ReadAllTextAsync(Path.Combine(outDir, "report.json"));
        json.Should().Contain("\"parentPin\": \"***\"", "the app calls the PIN parentPin, and it is still masked");
        foreach (var file in Directory.GetFiles(outDir))
        {
            var text = await File.ReadAllTextAsync(file);
            text.Should().NotContain("246810", file).And.NotContain("135790", file).And.NotContain(Key, file);
        }
    }

    [Fact]
    public async Task NodeApp_ReadsItsRulesFromTheRulePack_SoALooserPackIsCaught()
    {
        var pack = JObject.Parse(await File.ReadAllTextAsync(Path.Combine(RepoRoot, "seeds", "rules", "cn-cac-2024.json")));
        pack["bands"]![3]!["dailyMinutes"]!["value"] = 90;
        var rules = Path.Combine(_dir.FullName, "loose.json");
        await File.WriteAllTextAsync(rules, pack.ToString());
        var app = await StartAsync("--rules", rules);
        var outDir = Path.Combine(_dir.FullName, "loose");

        var (code, _, stderr) = await RunCliAsync("run", "--target", app.BaseAddress.ToString(), "--profile", ProfilePath,
            "--conformance-key", Key, "--out", outDir);

        code.Should().Be(1, stderr);
        var report = JObject.Parse(await File.ReadAllTextAsync(Path.Combine(outDir, "report.json")));
        report["checks"]!.Single(c => c["id"]!.ToString() == "AA-DAILY-LIMIT[band 12-16]")["verdict"]!.ToString().Should().Be("failed");

        // The checks that use up or read band 12-16's daily budget all notice the looser number; nothing else changes.
        string[] budgetChecks = ["AA-DAILY-LIMIT", "AA-DAY-ROLLOVER-LOCAL", "AA-BUDGET-DEVICES"];
        report["checks"]!.Where(c => budgetChecks.Skip(1).Contains(c["checkId"]!.ToString()))
            .Select(c => c["verdict"]!.ToString()).Should().Equal("failed", "failed");
        report["checks"]!.Where(c => !budgetChecks.Contains(c["checkId"]!.ToString()))
            .Select(c => $"{c["id"]}: {c["verdict"]}").Should().OnlyContain(c => c.EndsWith(": passed", StringComparison.Ordinal) || c.EndsWith(": not-applicable", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NodeApp_ReadsTheConsentAgeFromTheRulePack_SoALowerAgeIsCaught()
    {
        var pack = JObject.Parse(await File.ReadAllTextAsync(Path.Combine(RepoRoot, "seeds", "rules", "cn-cac-2024.json")));
        pack["personalInfo"]!["guardianConsentUnderAge"]!["value"] = 10;
        var rules = Path.Combine(_dir.FullName, "consent-10.json");
        await File.WriteAllTextAsync(rules, pack.ToString());
        var app = await StartAsync("--rules", rules);
        var outDir = Path.Combine(_dir.FullName, "consent-10");

        var (code, _, stderr) = await RunCliAsync("run", "--target", app.BaseAddress.ToString(), "--profile", ProfilePath,
            "--conformance-key", Key, "--out", outDir);

        code.Should().Be(1, stderr);
        var report = JObject.Parse(await File.ReadAllTextAsync(Path.Combine(outDir, "report.json")));
        report["checks"]!.Single(c => c["checkId"]!.ToString() == "PI-CONSENT-UNDER-14")["verdict"]!.ToString()
            .Should().Be("failed", "a 10-year-old's nickname was collected with no guardian consent");
    }

    [Fact]
    public async Task Profile_PassesLint()
    {
        var (code, stdout, stderr) = await RunCliAsync("lint", ProfilePath);

        code.Should().Be(0, stderr);
        stdout.Should().Contain("OK").And.Contain("node-short-video");
    }

    [Fact]
    public async Task ConformanceEndpoints_NeedTheSecret_AndAreAbsentWithoutConformanceMode()
    {
        var on = await StartAsync();
        using var client = new HttpClient();

        (await client.GetAsync(new Uri(on.BaseAddress, "/__conformance/about"))).StatusCode.Should().Be(System.Net.HttpStatusCode.Unauthorized);
        using var wrong = new HttpRequestMessage(HttpMethod.Get, new Uri(on.BaseAddress, "/__conformance/about"));
        wrong.Headers.Add("X-Conformance-Secret", Key + "x");
        (await client.SendAsync(wrong)).StatusCode.Should().Be(System.Net.HttpStatusCode.Unauthorized);

        var off = await StartAsync(environment: new Dictionary<string, string?> { ["TEENMODE_CONFORMANCE_KEY"] = null });
        using var right = new HttpRequestMessage(HttpMethod.Get, new Uri(off.BaseAddress, "/__conformance/about"));
        right.Headers.Add("X-Conformance-Secret", Key);
        (await client.SendAsync(right)).StatusCode.Should().Be(System.Net.HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task NodeApp_BandsAreHalfOpen_OnTheBirthday()
    {
        var app = await StartAsync();
        await app.SendAsync(HttpMethod.Put, "/__conformance/clock", """{ "wallTime": "2026-03-04T10:00:00" }""");

        var eight = await app.SendAsync(HttpMethod.Post, "/__conformance/kids", """{ "born": "2018-03-04" }""");
        var notYet = await app.SendAsync(HttpMethod.Post, "/__conformance/kids", """{ "born": "2018-03-05" }""");

        eight.Body.SelectToken("$.ageBand.label")!.ToString().Should().Be("8-12", "age 8 exactly is in [8, 12)");
        notYet.Body.SelectToken("$.ageBand.label")!.ToString().Should().Be("3-8");
    }

    [Fact]
    public async Task NodeApp_DailyBudget_ResetsAtLocalMidnight_NotUtcMidnight()
    {
        var app = await StartAsync();
        // 07:30 in Shanghai is 23:30 UTC of the day before: a UTC day would end an hour later.
        await app.SendAsync(HttpMethod.Put, "/__conformance/clock", """{ "wallTime": "2026-03-05T07:30:00" }""");
        var kid = (await app.SendAsync(HttpMethod.Post, "/__conformance/kids", """{ "years": 13 }""")).Body["kidId"]!.ToString();
        for (var seq = 1; seq <= 60; seq++)
        {
            await app.SendAsync(HttpMethod.Post, $"/api/v2/kids/{kid}/screen-time/pings", $$"""{ "device": "d1", "seq": {{seq}}, "secs": 60 }""");
        }

        await app.SendAsync(HttpMethod.Post, "/__conformance/clock/skip", """{ "secs": 3600 }""");
        var sameLocalDay = await app.SendAsync(HttpMethod.Get, $"/api/v2/kids/{kid}/screen-time");
        await app.SendAsync(HttpMethod.Put, "/__conformance/clock", """{ "wallTime": "2026-03-06T06:00:00" }""");
        var nextLocalDay = await app.SendAsync(HttpMethod.Get, $"/api/v2/kids/{kid}/screen-time");

        sameLocalDay.Body.SelectToken("$.why.code")!.ToString().Should().Be("daily-limit-reached");
        nextLocalDay.Body["permitted"]!.Value<bool>().Should().BeTrue();
    }

    [Fact]
    public async Task NodeApp_ItsRealLog_OnStderr_NeverHoldsTheIdentityNumber_ThePhone_OrThePin()
    {
        var app = await StartAsync();
        var kid = (await app.SendAsync(HttpMethod.Post, "/__conformance/kids", """{ "years": 13 }""")).Body["kidId"]!.ToString();
        await app.SendAsync(HttpMethod.Post, "/__conformance/logs/probe",
            $$"""{ "text": "bind {{kid}}: id 110105201303070027, phone +86 13800138000, \"parentPin\": \"246810\"" }""");

        _apps.Remove(app);
        await app.DisposeAsync();
        var log = await app.StderrAsync();

        log.Should().Contain(kid).And.Contain("[id-number]").And.Contain("[phone]")
            .And.NotContain("110105201303070027").And.NotContain("13800138000").And.NotContain("246810");
    }

    [Theory]
    [InlineData("production", Key, "NODE_ENV=production")]
    [InlineData("development", "short-key", "32 bytes")]
    [InlineData("development", "node-sample-conformance-key-012", "32 bytes")]
    [InlineData("development", "                                ", "32 bytes")]
    public async Task NodeApp_RefusesToStart_InProductionWithAKey_OrWithAShortKey(string nodeEnv, string key, string reason)
    {
        var psi = NodeApp.StartInfo(["--port", "0"], new Dictionary<string, string?> { ["NODE_ENV"] = nodeEnv, ["TEENMODE_CONFORMANCE_KEY"] = key });
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException("The Node app kept running although it must refuse to start.");
        }

        process.ExitCode.Should().NotBe(0);
        (await stdout).Should().NotContain("listening");
        (await stderr).Should().Contain(reason).And.NotContain(Key);
    }

    private static string RepoRoot => RepoPaths.Root;

    private static string ProfilePath => Path.Combine(RepoRoot, "samples", "NodeShortVideoApp", "teenmode-profile.json");

    private async Task<NodeApp> StartAsync(params string[] args) => await StartAsync(null, args);

    private async Task<NodeApp> StartAsync(IReadOnlyDictionary<string, string?>? environment, params string[] args)
    {
        var env = new Dictionary<string, string?> { ["NODE_ENV"] = "development", ["TEENMODE_CONFORMANCE_KEY"] = Key };
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            env[name] = value;
        }

        var app = await NodeApp.StartAsync(["--port", "0", "--exit-with-stdin", .. args], env);
        _apps.Add(app);
        return app;
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunCliAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await Cli.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>The Node sample as a child process; reads the URL from its first stdout line.</summary>
    private sealed class NodeApp : IAsyncDisposable
    {
        private static readonly HttpClient Client = new();
        private readonly Process _process;
        private readonly Task<string> _stderr;

        private NodeApp(Process process, Uri baseAddress, Task<string> stderr)
        {
            _process = process;
            BaseAddress = baseAddress;
            _stderr = stderr;
        }

        public Uri BaseAddress { get; }

        /// <summary>Sends JSON (with the conformance secret) and returns the status and the JSON answer.</summary>
        public async Task<(int Status, JObject Body)> SendAsync(HttpMethod method, string path, string? json = null)
        {
            using var request = new HttpRequestMessage(method, new Uri(BaseAddress, path));
            request.Headers.Add("X-Conformance-Secret", Key);
            if (json is not null)
            {
                request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
            }

            using var response = await Client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            ((int)response.StatusCode).Should().BeInRange(200, 299, $"{method} {path}: {text}");
            return ((int)response.StatusCode, JObject.Parse(text));
        }

        public string Stderr => _stderr.IsCompletedSuccessfully ? _stderr.Result : "(still running)";

        /// <summary>Everything the app wrote to stderr (its log); completes once the process has exited.</summary>
        public Task<string> StderrAsync() => _stderr;

        public static ProcessStartInfo StartInfo(IEnumerable<string> args, IReadOnlyDictionary<string, string?> environment)
        {
            var psi = new ProcessStartInfo(FindNode())
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = RepoRoot,
            };
            psi.ArgumentList.Add(Path.Combine(RepoRoot, "samples", "NodeShortVideoApp", "server.js"));
            foreach (var arg in args)
            {
                psi.ArgumentList.Add(arg);
            }

            foreach (var (name, value) in environment)
            {
                if (value is null)
                {
                    psi.Environment.Remove(name);
                }
                else
                {
                    psi.Environment[name] = value;
                }
            }

            return psi;
        }

        public static async Task<NodeApp> StartAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string?> environment)
        {
            var process = Process.Start(StartInfo(args, environment))!;
            var stderr = process.StandardError.ReadToEndAsync();
            string? first;
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                first = await process.StandardOutput.ReadLineAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                first = null;
            }

            if (first is null || !first.StartsWith("listening ", StringComparison.Ordinal)
                || !Uri.TryCreate(first["listening ".Length..].Trim(), UriKind.Absolute, out var url))
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                throw new InvalidOperationException($"The Node sample did not start (first line: '{first}'). stderr:\n{await stderr}");
            }

            _ = process.StandardOutput.ReadToEndAsync(); // keep the pipe drained
            return new NodeApp(process, url, stderr);
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync();
            _process.Dispose();
        }

        /// <summary>Node is part of the machine image: a missing one fails the test, never skips it.</summary>
        private static string FindNode()
        {
            var names = OperatingSystem.IsWindows() ? new[] { "node.exe" } : ["node"];
            var found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .SelectMany(dir => names.Select(n => Path.Combine(dir, n)))
                .FirstOrDefault(File.Exists);
            return found ?? throw new InvalidOperationException(
                "未在 PATH 中找到 node（Node.js 20+），它是本机镜像的一部分，这些测试需要它 / " +
                "'node' (Node.js 20+) was not found on PATH; it is part of the machine image and these tests need it to run the Node sample app.");
        }
    }
}
