using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;
using TeenMode.Harness.Cli;
using TeenMode.Harness.Drivers;
using TeenMode.Harness.Profiling;
using TeenMode.Harness.Running;
using TeenMode.Harness.Suites;
using Xunit.Abstractions;

namespace TeenMode.IntegrationTests;

/// <summary>
/// The third partner app, in Python with no TeenMode SDK (<c>samples/PyFamilyApp</c>), driven through its format-2
/// profile: the full built-in suite against the clean app, every planted defect caught, a log free of secrets, and
/// the app's own unittest suite.
/// </summary>
[Collection(PyFamilySequence.Name)]
public sealed class PyFamilyAppTests : IClassFixture<PyFamilyAppTests.CleanRun>
{
    /// <summary>
    /// Planted defect (<c>FAMILY_DEFECTS</c>) → the checks (a check id: all its cases; or one case id) expected to catch it.
    /// The one place this table lives; <c>samples/PyFamilyApp/README.md</c> mirrors it (a test below keeps them equal).
    /// </summary>
    internal static readonly IReadOnlyDictionary<string, string[]> DefectChecks = new SortedDictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["curfew-utc"] = ["AA-CURFEW-BOUNDARY", "AA-CURFEW-SESSION", "AA-CURFEW-EXACT"],
        ["budget-per-device"] = ["AA-BUDGET-DEVICES", "AA-DAY-ROLLOVER-LOCAL"],
        ["no-rest-reminder"] = ["AA-REST-REMINDER"],
        ["exempt-counted"] = ["AA-EXEMPT-CATEGORY"],
        ["age-utc"] = ["AA-BIRTHDAY-MIDNIGHT"],
        ["exit-without-pin"] = ["PC-EXIT-MISSING-PIN"],
        ["lockout-missing"] = ["PC-PIN-LOCKOUT"],
        ["bind-without-approval"] = ["PC-BIND-TWO-SIDED"],
        ["settings-unbounded"] = ["PC-SETTINGS-BOUNDS"],
        ["guardian-cap-ignored"] = ["PC-GUARDIAN-SPEND-CAP"],
        ["usage-report-open"] = ["PC-USAGE-REPORT"],
        ["dm-open"] = ["PC-FEATURE-DEFAULTS[stranger DMs off]"],
        ["pool-direct-id"] = ["CP-OUT-OF-POOL", "CP-MAY-AFFECT", "CP-FORBIDDEN-TOPIC", "CP-ADS-LINKS", "CP-FIXTURE-ITEMS"],
        ["hot-list-sensitive"] = ["CP-HOT-LIST"],
        ["spend-day-utc"] = ["AA-SPEND-DAILY"],
        ["tipping-allowed"] = ["AA-SPEND-TIPPING"],
        ["report-not-idempotent"] = ["RP-RECEIPT-IDEMPOTENT"],
        ["report-status-open"] = ["RP-STATUS-REPORTER-ONLY"],
        ["overdue-inclusive"] = ["RP-DEADLINE-OVERDUE"],
        ["consent-first-purpose-only"] = ["PI-PURPOSE-MISMATCH", "PI-EXPORT", "PI-DELETION", "PI-WITHDRAWAL-DELETES", "PI-CONSENT-EVERY-PURPOSE"],
        ["withdrawal-keeps-data"] = ["PI-WITHDRAWAL-DELETES"],
    };

    internal const string HooksKey = "pyfamily-test-hooks-key-0123456789abcdef";
    internal const string StaffToken = "pyfamily-staff-token-0123456789abcdef-xyz";

    /// <summary>The conditional functions the app's profile declares it does not offer.</summary>
    private static readonly string[] DeclaredNotOffered = ["games", "pi-breach", "real-name", "age-signals", "device-minor-mode"];

    private readonly CleanRun _clean;
    private readonly ITestOutputHelper _output;

    public PyFamilyAppTests(CleanRun clean, ITestOutputHelper output)
    {
        _clean = clean;
        _output = output;
    }

    internal static string RepoRoot => RepoPaths.Root;

    internal static string ProfilePath => Path.Combine(RepoRoot, "samples", "PyFamilyApp", "teenmode-profile.json");

    [Fact]
    public void FullBuiltInSuite_IsConformant_AgainstTheCleanApp_ThroughTheCli()
    {
        _output.WriteLine($"full suite against the clean app: {_clean.Elapsed.TotalSeconds:F1} s");
        _clean.ExitCode.Should().Be(0, $"stdout:\n{_clean.Stdout}\nstderr:\n{_clean.Stderr}\napp log (tail):\n{Tail(_clean.AppLog, 40)}");
        var report = _clean.Report;
        report["verdict"]!.ToString().Should().Be("conformant");
        report.SelectToken("$.profile.id")!.ToString().Should().Be("py-family");

        var suite = SuiteLoader.LoadEmbedded();
        var profile = ProfileLoader.Load(ProfilePath);
        var checks = report["checks"]!.Children<JObject>().ToList();
        checks.Select(c => c["id"]!.ToString()).Should().BeEquivalentTo(suite.Checks.SelectMany(c => c.Cases(profile.Fixtures)).Select(c => c.Id));

        var notOffered = suite.Checks.Where(c => c.Capabilities.Intersect(DeclaredNotOffered).Any()).Select(c => c.Id).ToHashSet();
        foreach (var c in checks)
        {
            var id = c["id"]!.ToString();
            var verdict = c["verdict"]!.ToString();
            if (notOffered.Contains(c["checkId"]!.ToString()))
            {
                verdict.Should().Be("not-applicable", id);
                c["message"]!.ToString().Should().Contain("does not offer", id);
            }
            else
            {
                verdict.Should().Be("passed", $"{id}: {c["message"]}");
            }
        }

        var summary = report["summary"]!;
        ((int)summary["failed"]!, (int)summary["error"]!, (int)summary["skipped"]!).Should().Be((0, 0, 0));
        ((int)summary["passed"]!).Should().BeGreaterThan(0);
        _output.WriteLine($"passed {summary["passed"]}, not applicable {summary["not-applicable"]}, failed 0, error 0, skipped 0");

        // The declared scope: every mandatory function offered; of the conditional ones, only games and pi-breach declined, with a statement.
        var scope = report["scope"]!.Children<JObject>().ToDictionary(s => s["capability"]!.ToString());
        scope.Keys.Should().BeEquivalentTo(suite.Mandatory.Keys.Concat(suite.Conditional.Keys));
        foreach (var (capability, entry) in scope)
        {
            ((bool)entry["mandatory"]!).Should().Be(suite.Mandatory.ContainsKey(capability), capability);
            if (DeclaredNotOffered.Contains(capability))
            {
                entry["state"]!.ToString().Should().Be("not-offered", capability);
                entry.SelectToken("statement.en")!.ToString().Should().NotBeNullOrWhiteSpace();
                entry.SelectToken("statement.zh-CN")!.ToString().Should().NotBeNullOrWhiteSpace();
            }
            else
            {
                entry["state"]!.ToString().Should().Be("offered", capability);
            }
        }

        report.SelectToken("$.notOffered.games.en")!.ToString().Should().Contain("no online games");
        report.SelectToken("$.notOffered.pi-breach.en")!.ToString().Should().Contain("known gap");
        report.SelectToken("$.notOffered.device-minor-mode.en")!.ToString().Should().Contain("known gap");
    }

    [Fact]
    public async Task EveryPlantedDefect_FailsAtLeastOneOfItsChecks()
    {
        var known = KnownDefects();
        DefectChecks.Keys.Should().BeEquivalentTo(known, "every defect the app can plant is in the table, and nothing else");
        var suite = SuiteLoader.LoadEmbedded();
        var profile = ProfileLoader.Load(ProfilePath);
        var allCases = suite.Checks.SelectMany(c => c.Cases(profile.Fixtures)).ToList();
        foreach (var (defect, checks) in DefectChecks)
        {
            foreach (var check in checks)
            {
                allCases.Should().Contain(c => c.Id == check || c.Check.Id == check, $"{defect}: '{check}' names a check or case of the suite");
            }
        }

        var watch = Stopwatch.StartNew();
        var rows = new ConcurrentDictionary<string, DefectRow>(StringComparer.Ordinal);
        using var gate = new SemaphoreSlim(Math.Clamp(Environment.ProcessorCount, 2, 4));
        await Task.WhenAll(DefectChecks.Select(async entry =>
        {
            await gate.WaitAsync();
            try
            {
                var only = allCases.Where(c => entry.Value.Contains(c.Id) || entry.Value.Contains(c.Check.Id)).Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
                var row = await RunDefectAsync(suite, profile, entry.Key, only);
                if (!row.Cases.Any(c => c.Verdict == CaseVerdict.Failed) && row.Cases.Any(c => c.Verdict == CaseVerdict.Error))
                {
                    // Errors are not detections; one retry tells a passing fluke (a slow machine) from a real gap.
                    row = await RunDefectAsync(suite, profile, entry.Key, only) with { Retried = true };
                }

                rows[entry.Key] = row;
            }
            finally
            {
                gate.Release();
            }
        }));

        _output.WriteLine($"defect matrix: {DefectChecks.Count} defects in {watch.Elapsed.TotalSeconds:F1} s");
        _output.WriteLine("| defect | checks run | failed (caught it) | other verdicts | s |");
        _output.WriteLine("|---|---|---|---|---|");
        foreach (var (defect, row) in rows.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            var failed = row.Cases.Where(c => c.Verdict == CaseVerdict.Failed).Select(c => c.Id).ToList();
            var other = row.Cases.Where(c => c.Verdict is not (CaseVerdict.Failed or CaseVerdict.Passed)).Select(c => $"{c.Id}: {c.Verdict}");
            _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {defect} | {string.Join(", ", DefectChecks[defect])} | {(failed.Count == 0 ? "NONE" : string.Join(", ", failed))} | {string.Join("; ", other)}{(row.Retried ? " (retried)" : "")} | {row.Elapsed.TotalSeconds:F1} |"));
        }

        foreach (var (defect, row) in rows)
        {
            row.Cases.Should().NotBeEmpty(defect);
            row.Cases.Where(c => c.Verdict == CaseVerdict.Failed).Should().NotBeEmpty(
                $"defect {defect} must fail one of {string.Join(", ", DefectChecks[defect])}; got {string.Join("; ", row.Cases.Select(c => $"{c.Id}: {c.Verdict} {c.Message}"))}\napp log (tail):\n{Tail(row.AppLog, 20)}");
            row.Verdict.Should().Be(RunVerdict.NonConformant, defect);
        }
    }

    [Fact]
    public void DefectTable_IsMirroredInTheAppReadme()
    {
        var readme = File.ReadAllLines(Path.Combine(RepoRoot, "samples", "PyFamilyApp", "README.md"));
        var checkId = new Regex(@"\b[A-Z]{2}-[A-Z0-9]+(?:-[A-Z0-9]+)*(?:\[[^\]]+\])?", RegexOptions.CultureInvariant);
        foreach (var (defect, checks) in DefectChecks)
        {
            var rows = readme.Where(l => l.StartsWith($"| `{defect}` |", StringComparison.Ordinal)).ToList();
            rows.Should().HaveCount(2, $"the zh-CN and English tables each have a row for {defect}");
            foreach (var row in rows)
            {
                var caughtBy = row.TrimEnd().TrimEnd('|').Split('|')[^1];
                checkId.Matches(caughtBy).Select(m => m.Value).Should().BeEquivalentTo(checks, $"README row: {row}");
            }
        }
    }

    [Fact]
    public async Task AppLog_NeverHoldsThePins_Tokens_Password_OrKeys()
    {
        // The clean run's log: every PIN the suite typed, the keys and the synthetic accounts' password.
        var suiteText = await File.ReadAllTextAsync(Path.Combine(RepoRoot, "seeds", "suites", "cn-minor-mode.json"));
        var pins = PinsIn(JToken.Parse(suiteText)).ToList();
        pins.Should().Contain("246810");
        var password = (string)JObject.Parse(await File.ReadAllTextAsync(ProfilePath)).SelectToken("$.variables.accountPassword")!;
        string[] secrets = [HooksKey, StaffToken, password, .. pins];
        _clean.AppLog.Should().Contain(" -> 200", "the log holds the run's request lines");
        foreach (var secret in secrets)
        {
            _clean.AppLog.Should().NotContain(secret);
        }

        // No session token (43 URL-safe characters) in any form.
        Regex.Matches(_clean.AppLog, "[A-Za-z0-9_-]{40,}").Select(m => m.Value).Should().BeEmpty();
        foreach (var file in Directory.GetFiles(_clean.ReportDir))
        {
            var text = await File.ReadAllTextAsync(file);
            foreach (var secret in new[] { HooksKey, StaffToken, password })
            {
                text.Should().NotContain(secret, file);
            }
        }

        // A token of our own, sent where a careless log would print it: header, query string, body, log probe.
        await using var app = await PyApp.StartAsync(null);
        using var client = new HttpClient();
        var (_, signup) = await app.SendAsync(client, HttpMethod.Post, "/v1/accounts", """{ "birthDate": "1990-05-01", "password": "correct horse battery", "guardianPin": "975310" }""");
        var token = signup.SelectToken("$.session.token")!.ToString();
        await app.SendAsync(client, HttpMethod.Get, "/v1/me", bearer: token);
        await app.SendAsync(client, HttpMethod.Get, "/v1/me?token=" + Uri.EscapeDataString(token), bearer: token);
        await app.SendAsync(client, HttpMethod.Put, "/v1/me/pin", """{ "pin": "864211", "currentPin": "975310" }""", bearer: token);
        await app.SendAsync(client, HttpMethod.Post, "/v1/test/log-probe", $$"""{ "text": "Authorization: Bearer {{token}} token={{token}} pin=975310 password=correct-horse" }""", testKey: true);
        await app.DisposeAsync();
        var log = await app.LogAsync();

        log.Should().Contain("/v1/me").And.Contain("[redacted]");
        foreach (var secret in new[] { token, "975310", "864211", "correct horse", "correct-horse", HooksKey, StaffToken })
        {
            log.Should().NotContain(secret);
        }
    }

    [Fact]
    public async Task AppsOwnUnitTests_Pass()
    {
        var psi = new ProcessStartInfo(PyApp.FindPython())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepoRoot,
        };
        foreach (var arg in new[] { "-m", "unittest", "discover", "-s", Path.Combine("samples", "PyFamilyApp", "tests") })
        {
            psi.ArgumentList.Add(arg);
        }

        psi.Environment.Remove("FAMILY_DEFECTS");
        psi.Environment.Remove("FAMILY_ENV");
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"python3 -m unittest did not finish in 4 minutes:\n{Tail(await stderr, 40)}");
        }

        var text = await stderr; // unittest reports on stderr
        _output.WriteLine($"python3 -m unittest discover -s samples/PyFamilyApp/tests: {watch.Elapsed.TotalSeconds:F1} s; {Tail(text, 3).Trim()}");
        process.ExitCode.Should().Be(0, $"{await stdout}\n{text}");
        text.Should().MatchRegex(@"Ran [1-9]\d* tests?").And.Contain("OK");
    }

    private static async Task<DefectRow> RunDefectAsync(Suite suite, AppProfile profile, string defect, IReadOnlySet<string> only)
    {
        var watch = Stopwatch.StartNew();
        await using var app = await PyApp.StartAsync(defect);
        using var client = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { Timeout = Timeout.InfiniteTimeSpan };
        var driver = new HttpDriver(client, app.BaseAddress, profile, new Dictionary<string, string> { ["conformanceKey"] = HooksKey, ["staffToken"] = StaffToken });
        var report = await ConformanceRunner.RunAsync(suite, profile, driver, app.BaseAddress.ToString(), new RunOptions { OnlyCases = only });
        await app.DisposeAsync();
        return new DefectRow(report.Verdict, report.Cases, await app.LogAsync(), watch.Elapsed);
    }

    private sealed record DefectRow(RunVerdict Verdict, IReadOnlyList<CaseResult> Cases, string AppLog, TimeSpan Elapsed)
    {
        public bool Retried { get; init; }
    }

    /// <summary>The defect names the app knows: the keys of <c>KNOWN</c> in <c>pyfamily/defects.py</c>.</summary>
    private static List<string> KnownDefects()
    {
        var source = File.ReadAllText(Path.Combine(RepoRoot, "samples", "PyFamilyApp", "pyfamily", "defects.py"));
        var start = source.IndexOf("KNOWN = {", StringComparison.Ordinal);
        var end = source.IndexOf("\n}", start, StringComparison.Ordinal);
        start.Should().BeGreaterThan(0, "defects.py defines KNOWN");
        return Regex.Matches(source[start..end], "^    \"([a-z0-9-]+)\": \\(", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
    }

    /// <summary>Every PIN the suite types: string values of properties named like *pin*, with <c>${i}</c> for 1–9.</summary>
    private static IEnumerable<string> PinsIn(JToken token) =>
        token.SelectTokens("$..*").OfType<JValue>()
            .Where(v => v.Type == JTokenType.String && v.Parent is JProperty p && p.Name.Contains("pin", StringComparison.OrdinalIgnoreCase))
            .Select(v => (string)v!)
            .SelectMany(v => v.Contains("${i}", StringComparison.Ordinal) ? Enumerable.Range(1, 9).Select(i => v.Replace("${i}", i.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)) : [v])
            .Where(v => Regex.IsMatch(v, @"^\d{4,}$"))
            .Distinct(StringComparer.Ordinal);

    private static string Tail(string text, int lines) => string.Join('\n', text.Split('\n').TakeLast(lines));

    /// <summary>The clean app, the full built-in suite through the CLI once, and the app's whole log afterwards.</summary>
    public sealed class CleanRun : IAsyncLifetime
    {
        private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("teenmode-py-");

        public int ExitCode { get; private set; }

        public string Stdout { get; private set; } = "";

        public string Stderr { get; private set; } = "";

        public string AppLog { get; private set; } = "";

        public TimeSpan Elapsed { get; private set; }

        public string ReportDir => Path.Combine(_dir.FullName, "report");

        public JObject Report { get; private set; } = new();

        public async Task InitializeAsync()
        {
            await using var app = await PyApp.StartAsync(null);
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            var watch = Stopwatch.StartNew();
            ExitCode = await Cli.RunAsync(
                ["run", "--target", app.BaseAddress.ToString(), "--profile", ProfilePath, "--conformance-key", HooksKey, "--var", "staffToken=" + StaffToken, "--out", ReportDir],
                stdout, stderr);
            Elapsed = watch.Elapsed;
            Stdout = stdout.ToString();
            Stderr = stderr.ToString();
            await app.DisposeAsync();
            AppLog = await app.LogAsync();
            var reportFile = Path.Combine(ReportDir, "report.json");
            if (File.Exists(reportFile))
            {
                Report = JObject.Parse(await File.ReadAllTextAsync(reportFile));
            }
        }

        public Task DisposeAsync()
        {
            _dir.Delete(recursive: true);
            return Task.CompletedTask;
        }
    }

    /// <summary>The Python app as a child process on a free loopback port; reads the URL from its first stdout line.</summary>
    private sealed class PyApp : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly Task<string> _log;
        private bool _disposed;

        private PyApp(Process process, Uri baseAddress, Task<string> log)
        {
            _process = process;
            BaseAddress = baseAddress;
            _log = log;
        }

        public Uri BaseAddress { get; }

        /// <summary>The app's log (its stderr), complete once the process has exited.</summary>
        public Task<string> LogAsync() => _log;

        public static async Task<PyApp> StartAsync(string? defects)
        {
            var psi = new ProcessStartInfo(FindPython())
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = RepoRoot,
                StandardErrorEncoding = Encoding.UTF8,
                StandardOutputEncoding = Encoding.UTF8,
            };
            foreach (var arg in new[] { Path.Combine(RepoRoot, "samples", "PyFamilyApp", "app.py"), "--host", "127.0.0.1", "--port", "0", "--exit-with-stdin" })
            {
                psi.ArgumentList.Add(arg);
            }

            psi.Environment["FAMILY_TEST_HOOKS_KEY"] = HooksKey;
            psi.Environment["FAMILY_STAFF_TOKEN"] = StaffToken;
            psi.Environment["PYTHONIOENCODING"] = "utf-8";
            psi.Environment.Remove("FAMILY_ENV");
            if (defects is null)
            {
                psi.Environment.Remove("FAMILY_DEFECTS");
            }
            else
            {
                psi.Environment["FAMILY_DEFECTS"] = defects;
            }

            var process = Process.Start(psi)!;
            var log = process.StandardError.ReadToEndAsync();
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
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }

                await process.WaitForExitAsync();
                throw new InvalidOperationException($"PyFamilyApp (FAMILY_DEFECTS={defects}) did not start (first line: '{first}'). stderr:\n{await log}");
            }

            _ = process.StandardOutput.ReadToEndAsync(); // keep the pipe drained
            return new PyApp(process, url, log);
        }

        /// <summary>Sends a request (JSON body, optional session or test key) and returns the status and JSON answer; asserts 2xx.</summary>
        public async Task<(int Status, JObject Body)> SendAsync(HttpClient client, HttpMethod method, string path, string? json = null, string? bearer = null, bool testKey = false)
        {
            using var request = new HttpRequestMessage(method, new Uri(BaseAddress, path));
            if (bearer is not null)
            {
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
            }

            if (testKey)
            {
                request.Headers.Add("X-Family-Test-Key", HooksKey);
            }

            if (json is not null)
            {
                request.Content = new StringContent(json, Encoding.UTF8, "application/json");
            }

            using var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            ((int)response.StatusCode).Should().BeInRange(200, 299, $"{method} {path}: {text}");
            return ((int)response.StatusCode, JObject.Parse(text));
        }

        public async ValueTask DisposeAsync()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync();
            _process.Dispose();
        }

        /// <summary>python3 is part of the machine image: a missing one fails the tests, never skips them.</summary>
        public static string FindPython()
        {
            var names = OperatingSystem.IsWindows() ? new[] { "python3.exe", "python.exe" } : ["python3"];
            var found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .SelectMany(dir => names.Select(n => Path.Combine(dir, n)))
                .FirstOrDefault(File.Exists);
            return found ?? throw new InvalidOperationException(
                "未在 PATH 中找到 python3（3.11+），它是本机镜像的一部分，这些测试需要它运行 PyFamilyApp / " +
                "'python3' (Python 3.11+) was not found on PATH; it is part of the machine image and these tests need it to run samples/PyFamilyApp.");
        }
    }
}

/// <summary>The PyFamilyApp tests run one after another: the clean run's clock-sensitive checks see no defect matrix beside them.</summary>
[CollectionDefinition(Name)]
public sealed class PyFamilySequence
{
    public const string Name = "PyFamilyApp";
}
