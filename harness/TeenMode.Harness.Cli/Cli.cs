using System.CommandLine;
using System.Runtime.InteropServices;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using TeenMode.Harness.Drivers;
using TeenMode.Harness.Gating;
using TeenMode.Harness.Profiling;
using TeenMode.Harness.Reporting;
using TeenMode.Harness.Running;
using TeenMode.Harness.Suites;
using TeenMode.Harness.Trust;
using TeenMode.Rules;

namespace TeenMode.Harness.Cli;

/// <summary>The <c>teenmode</c> command line.</summary>
public static class Cli
{
    /// <summary>The environment variable read when <c>--conformance-key</c> is not given.</summary>
    public const string KeyVariable = "TEENMODE_CONFORMANCE_KEY";

    /// <summary>The default report directory, under the current directory.</summary>
    public const string DefaultOut = "teenmode-report";

    /// <summary>Parses <paramref name="args"/> and runs the command; returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var ui = new Ui(stdout, stderr);
        var root = new RootCommand("TeenMode 一致性测试工具 / TeenMode conformance harness")
        {
            RunCommand(ui), DemoCommand(ui), SelfTestCommand(ui), ListCommand(ui), LintCommand(ui),
            KeygenCommand(ui), SignCommand(ui), VerifyCommand(ui), DiffCommand(ui), ProbeCommand.Create(ui),
        };

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await stderr.WriteLineAsync($"teenmode: {error.Message}");
            }

            await stderr.WriteLineAsync("用法见 / see: teenmode --help");
            return ExitCodes.UsageError;
        }

        // Ctrl+C (or SIGTERM) cancels the run instead of killing the process, so a partial report is still written.
        using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            interrupt.Cancel();
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        return await parse.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr, ProcessTerminationTimeout = null }, interrupt.Token);
    }

    private static Command RunCommand(Ui ui)
    {
        var target = new Option<string>("--target") { Description = "被测应用的基础 URL / base URL of the app under test", Required = true };
        var suite = new Option<string>("--suite") { Description = "套件文件或内置套件编号 / suite file or built-in suite id", DefaultValueFactory = _ => SuiteLoader.DefaultSuiteId };
        var profile = new Option<string>("--profile") { Description = "应用配置文件或内置编号 / app profile file or built-in id", DefaultValueFactory = _ => ProfileLoader.DefaultProfileId };
        var key = new Option<string?>("--conformance-key") { Description = $"一致性测试密钥（默认读取 {KeyVariable}）/ conformance key (default: ${KeyVariable})" };
        var outDir = new Option<string>("--out") { Description = "报告目录 / report directory", DefaultValueFactory = _ => DefaultOut };
        var timeout = new Option<int>("--timeout") { Description = "单个请求超时秒数 / per-request timeout in seconds", DefaultValueFactory = _ => 15 };
        var vars = VarOption();
        var gate = new GateOptions();
        var command = new Command("run", Describe("对目标应用运行一致性套件 / run a conformance suite against an app", "  teenmode run --target http://127.0.0.1:5080 --conformance-key \"$KEY\"\n  teenmode run --target https://staging.example.cn --profile my-app.json --fail-on major --waivers waivers.json --sign auditor.key.pem\n  teenmode run --target http://127.0.0.1:5080 --rerun teenmode-report/report.json --out rerun")) { target, suite, profile, key, outDir, timeout, vars };
        gate.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            if (!Uri.TryCreate(parse.GetValue(target), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                ui.Error($"--target 须为 http(s) 绝对 URL / --target must be an absolute http(s) URL: '{parse.GetValue(target)}'");
                return ExitCodes.UsageError;
            }

            if (parse.GetValue(timeout) is < 1 or > 600)
            {
                ui.Error("--timeout 须在 1 至 600 之间 / --timeout must be between 1 and 600 seconds");
                return ExitCodes.UsageError;
            }

            if (!TryLoad(ui, parse.GetValue(suite)!, parse.GetValue(profile)!, out var loadedSuite, out var loadedProfile)
                || !gate.TryRead(ui, parse, loadedSuite, loadedProfile, out var settings))
            {
                return ExitCodes.UsageError;
            }

            if (!TryVariables(ui, parse, vars, key, loadedProfile, out var variables))
            {
                return ExitCodes.UsageError;
            }

            using var client = NewClient();
            var driver = new HttpDriver(client, uri, loadedProfile, variables, new HttpDriverOptions { RequestTimeout = TimeSpan.FromSeconds(parse.GetValue(timeout)) });
            return await RunAndReportAsync(ui, loadedSuite, loadedProfile, driver, uri.ToString(), parse.GetValue(outDir)!, settings, ct);
        });
        return command;
    }

    private static Command LintCommand(Ui ui)
    {
        var files = new Argument<string[]>("files") { Description = "套件或应用配置文件 / suite or profile files", Arity = ArgumentArity.OneOrMore };
        var command = new Command("lint", Describe("检查套件、应用配置或规则包文件 / check suite, profile or rule pack files", "  teenmode lint seeds/suites/cn-minor-mode.json my-app-profile.json my-rules.json")) { files };
        command.SetAction(parse =>
        {
            var ok = true;
            var given = parse.GetValue(files) ?? [];
            var known = new HashSet<string>(ProfileLoader.KnownCapabilities, StringComparer.Ordinal);
            foreach (var file in given.Where(f => Classify(f) == "suite"))
            {
                try
                {
                    known.UnionWith(SuiteLoader.Load(file).CapabilityNames());
                }
                catch (TeenModeConfigurationException)
                {
                    // reported below
                }
            }

            foreach (var file in given)
            {
                try
                {
                    var kind = Classify(file);
                    if (kind == "rules")
                    {
                        var r = RulePackLoader.LoadFile(file);
                        ui.Out($"{file}: OK — 规则包 / rule pack {r.Id} {r.Version}, {r.Bands.Count} bands");
                    }
                    else if (kind == "profile")
                    {
                        var p = ProfileLoader.Load(file, known);
                        ui.Out($"{file}: OK — 应用配置 / profile {p.Id} {p.Version} (format {p.FormatVersion}), {p.Actions.Count} actions");
                    }
                    else
                    {
                        var s = SuiteLoader.Load(file);
                        ui.Out($"{file}: OK — 套件 / suite {s.Id} {s.Version}, {s.Checks.Count} checks, {s.Checks.Sum(c => c.Cases().Count())} cases");
                    }
                }
                catch (TeenModeConfigurationException ex)
                {
                    ok = false;
                    ui.ConfigErrors(ex);
                }
            }

            return ok ? 0 : ExitCodes.UsageError;
        });
        return command;
    }

    private static Command DemoCommand(Ui ui)
    {
        var outDir = new Option<string>("--out") { Description = "报告目录 / report directory", DefaultValueFactory = _ => DefaultOut };
        var suiteOption = SuiteOption();
        var rules = RulesOption();
        var store = new Option<string>("--store") { Description = "示例应用的存储：sqlite（临时文件）或 postgres / the sample app's store: sqlite (a temp file) or postgres", DefaultValueFactory = _ => ShortVideoApp.SampleStores.Sqlite };
        store.AcceptOnlyFromAmong(ShortVideoApp.SampleStores.Sqlite, ShortVideoApp.SampleStores.Postgres);
        var connection = new Option<string?>("--connection") { Description = "存储连接字符串（postgres 必填，宜用空数据库）/ the store's connection string (required for postgres; an empty database is best)" };
        var gate = new GateOptions();
        var command = new Command("demo", Describe("在本机启动示例应用并运行内置套件 / start the sample app locally and run the built-in suite", "  teenmode demo\n  teenmode demo --rules my-rules.json --out demo-report\n  teenmode demo --store postgres --connection \"Host=127.0.0.1;Port=5432;Username=teenmode;Password=...;Database=teenmode\"")) { outDir, suiteOption, rules, store, connection };
        gate.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var rulesPath = parse.GetValue(rules);
            if (!TryLoad(ui, parse.GetValue(suiteOption)!, ProfileLoader.DefaultProfileId, out var suite, out var profile) | !TryLoadRules(ui, rulesPath)
                || !gate.TryRead(ui, parse, suite, profile, out var settings))
            {
                return ExitCodes.UsageError;
            }

            var storeName = parse.GetValue(store)!;
            if (storeName == ShortVideoApp.SampleStores.Postgres && string.IsNullOrWhiteSpace(parse.GetValue(connection)))
            {
                ui.Error("--store postgres 需要 --connection / --store postgres needs --connection (an Npgsql connection string)");
                return ExitCodes.UsageError;
            }

            ui.Out(storeName == ShortVideoApp.SampleStores.Postgres
                ? "正在启动示例应用（PostgreSQL，回环地址）/ starting the sample app (PostgreSQL, loopback)…"
                : "正在启动示例应用（SQLite，回环地址）/ starting the sample app (SQLite, loopback)…");
            ISelfTestTarget target;
            try
            {
                target = await SampleTargets.StartAsync(new SampleStore(storeName, parse.GetValue(connection)), rulesPath, ct);
            }
            catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
            {
                ui.Error(ex.Message);
                return ExitCodes.UsageError;
            }
            catch (ShortVideoApp.StoreUnreachableException ex)
            {
                ui.Error(ex.Message);
                return ExitCodes.Incomplete;
            }

            await using var started = target;
            ui.Out($"示例应用 / sample app: {target.BaseAddress}");
            using var client = NewClient();
            var driver = new HttpDriver(client, target.BaseAddress, profile, new Dictionary<string, string> { ["conformanceKey"] = target.ConformanceKey });
            return await RunAndReportAsync(ui, suite, profile, driver, target.BaseAddress.ToString(), parse.GetValue(outDir)!, settings, ct);
        });
        return command;
    }

    private static Command SelfTestCommand(Ui ui)
    {
        var outDir = new Option<string?>("--out") { Description = "可选：每个变体的报告目录 / optional: directory for each variant's reports" };
        var suiteOption = SuiteOption();
        var rules = RulesOption();
        var command = new Command("selftest", Describe("对合规应用和每个变异体运行套件，证明每项检查都能发现问题 / run the suite against the compliant app and every mutant", "  teenmode selftest\n  teenmode selftest --out selftest-reports")) { outDir, suiteOption, rules };
        command.SetAction(async (parse, ct) =>
        {
            var rulesPath = parse.GetValue(rules);
            if (!TryLoad(ui, parse.GetValue(suiteOption)!, ProfileLoader.DefaultProfileId, out var suite, out var profile) | !TryLoadRules(ui, rulesPath))
            {
                return ExitCodes.UsageError;
            }

            var result = await ui.ProgressAsync("自检 / selftest", SampleTargets.Mutants.Count + 1, () => SelfTest.RunAsync(suite, profile, SampleTargets.Mutants,
                (mutant, token) => SampleTargets.StartAsync(mutant, rulesPath, token),
                new SelfTestOptions { OnVariantStarting = v => ui.Step($"运行 / running: {v ?? SelfTestResult.Compliant}") }, ct));
            if (parse.GetValue(outDir) is { } dir)
            {
                foreach (var (variant, report) in result.Reports)
                {
                    await ReportWriter.WriteAsync(report, Path.Combine(dir, variant), ct);
                }

                ui.Out($"报告 / reports: {Path.GetFullPath(dir)}");
            }

            ui.Out("");
            ui.Out("检测矩阵 / detection matrix:");
            ui.Matrix(result);
            foreach (var warning in result.Warnings)
            {
                ui.Out("警告 / warning: " + warning);
            }

            foreach (var problem in result.Problems)
            {
                ui.Error(problem);
            }

            ui.Verdict(result.Succeeded,
                result.Succeeded
                    ? "自检通过：每项检查在合规应用上通过，并被至少一个变异体触发失败 / selftest passed: every check passes on the compliant app and fails on at least one mutant"
                    : "自检失败 / selftest failed");
            return result.Succeeded ? 0 : 1;
        });
        return command;
    }

    private static async Task<int> RunAndReportAsync(Ui ui, Suite suite, AppProfile profile, IDriver driver, string target, string outDir, GateSettings gate, CancellationToken ct)
    {
        ui.Out($"套件 / suite: {suite.Id} {suite.Version} · 应用配置 / profile: {profile.Id} {profile.Version} · 目标 / target: {target}");
        var options = new RunOptions
        {
            OnCaseFinished = ui.Case,
            MaxParallel = gate.Parallel,
            OnlyCases = gate.Rerun?.Only,
            CarriedOver = gate.Rerun?.Carried,
            RerunOf = gate.Rerun?.RunId,
        };
        if (gate.Rerun is { } rerun)
        {
            ui.Out($"重跑上次失败或出错的 {rerun.Only.Count} 项，沿用其余 {rerun.Carried.Count} 项结果 / re-running {rerun.Only.Count} failed or errored case(s), carrying over {rerun.Carried.Count}");
        }

        var total = suite.Checks.SelectMany(c => c.Cases(profile.Fixtures)).Count(c => gate.Rerun is null || gate.Rerun.Only.Contains(c.Id));
        var report = await ui.ProgressAsync("检查 / checks", total, () => ConformanceRunner.RunAsync(suite, profile, driver, target, options, ct));
        var decision = Gate.Evaluate(report, gate.FailOn, gate.Waivers, DateOnly.FromDateTime(report.FinishedAt.UtcDateTime));
        report = report with { Gate = decision };

        // Written even after Ctrl+C: a partial report is still evidence of what ran.
        var files = await ReportWriter.WriteAsync(report, outDir, CancellationToken.None);
        if (report.Interrupted)
        {
            ui.Error("运行被中断，报告不完整 / the run was interrupted; the report is partial and marked incomplete");
        }

        ui.Summary(report.Summary);
        foreach (var (id, treatment) in decision.Failures.Where(f => f.Treatment != GateTreatment.Blocking))
        {
            ui.Out(treatment == GateTreatment.Waived
                ? $"已豁免 / waived: {id}"
                : $"低于 --fail-on {gate.FailOn}，不阻断 / below --fail-on {gate.FailOn}, not blocking: {id}");
        }

        foreach (var w in decision.StaleWaivers)
        {
            ui.Out($"过时豁免（检查已通过，请删除）/ stale waiver (the check passes now; remove it): {w.CheckId} ({w.Owner})");
        }

        foreach (var w in decision.ExpiredWaivers)
        {
            ui.Out($"豁免已过期 / waiver expired: {w.CheckId} ({w.Owner}, {w.Expires:yyyy-MM-dd})");
        }

        ui.Verdict(report.Verdict == RunVerdict.Conformant, $"结论 / verdict: {report.Verdict.Display().ZhCn} / {report.Verdict.Wire()}");
        if (gate.SigningKeyPem is { } keyPem)
        {
            await ReportSigner.SignAsync(files.Directory, keyPem, CancellationToken.None);
        }

        ui.Out($"报告 / reports: {files.Directory}");
        foreach (var file in files.All)
        {
            ui.Out($"  {file}");
        }

        if (gate.SigningKeyPem is not null)
        {
            ui.Out($"  {Path.Combine(files.Directory, ReportSigner.ManifestName)} + {ReportSigner.SignatureName}");
        }

        return decision.ExitCode;
    }

    private static Command ListCommand(Ui ui)
    {
        var suiteOption = SuiteOption();
        var command = new Command("list", Describe("列出套件中的检查项 / list the checks of a suite", "  teenmode list\n  teenmode list --suite my-suite.json")) { suiteOption };
        command.SetAction(parse =>
        {
            Suite suite;
            try
            {
                suite = SuiteLoader.Resolve(parse.GetValue(suiteOption)!);
            }
            catch (TeenModeConfigurationException ex)
            {
                ui.ConfigErrors(ex);
                return ExitCodes.UsageError;
            }

            ui.Out($"{suite.Id} {suite.Version} — {suite.Title.ZhCn} / {suite.Title.En}");
            foreach (var group in suite.Checks.GroupBy(c => c.Function, StringComparer.Ordinal))
            {
                ui.Out("");
                ui.Out($"[{group.Key}]");
                foreach (var c in group)
                {
                    ui.Out($"  {c.Id,-28} {c.Severity,-8} {c.Cases().Count(),2} case(s)  {string.Join(", ", c.RequirementIds)}");
                    ui.Out($"  {"",-28} {c.Title.ZhCn} / {c.Title.En}");
                }
            }

            return 0;
        });
        return command;
    }

    private static Command KeygenCommand(Ui ui)
    {
        var prefix = new Argument<string>("prefix") { Description = "输出文件前缀，生成 PREFIX.key.pem 与 PREFIX.pub.pem / writes PREFIX.key.pem and PREFIX.pub.pem" };
        var command = new Command("keygen", Describe("生成 ECDSA P-256 签名密钥对 / create an ECDSA P-256 signing key pair", "  teenmode keygen auditor")) { prefix };
        command.SetAction(parse =>
        {
            var p = parse.GetValue(prefix)!;
            var (privatePem, publicPem) = ReportSigner.CreateKeyPair();
            var privatePath = p + ".key.pem";
            if (File.Exists(privatePath))
            {
                ui.Error($"{privatePath} 已存在，不会覆盖 / already exists; not overwriting a key");
                return ExitCodes.UsageError;
            }

            File.WriteAllText(privatePath, privatePem);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(privatePath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            File.WriteAllText(p + ".pub.pem", publicPem);
            ui.Out($"私钥 / private key: {Path.GetFullPath(privatePath)} (保密 / keep secret)");
            ui.Out($"公钥 / public key: {Path.GetFullPath(p + ".pub.pem")} (交给审核方 / give to verifiers)");
            return 0;
        });
        return command;
    }

    private static Command SignCommand(Ui ui)
    {
        var dir = new Argument<string>("dir") { Description = "报告目录 / report directory" };
        var key = new Option<string>("--key") { Description = "PEM 私钥文件 / PEM private key file", Required = true };
        var command = new Command("sign", Describe("为报告目录写入清单与分离签名 / write a manifest and detached signature for a report directory", "  teenmode sign teenmode-report --key auditor.key.pem")) { dir, key };
        command.SetAction(async (parse, ct) =>
        {
            if (!TryReadKey(ui, parse.GetValue(key)!, out var pem) || !TryDirectory(ui, parse.GetValue(dir)!))
            {
                return ExitCodes.UsageError;
            }

            try
            {
                var files = await ReportSigner.SignAsync(parse.GetValue(dir)!, pem, ct);
                ui.Out($"已签名 {files.Count} 个文件 / signed {files.Count} files: {string.Join(", ", files)}");
                return 0;
            }
            catch (ArgumentException ex)
            {
                ui.Error(ex.Message);
                return ExitCodes.UsageError;
            }
        });
        return command;
    }

    private static Command VerifyCommand(Ui ui)
    {
        var dir = new Argument<string>("dir") { Description = "报告目录 / report directory" };
        var key = new Option<string>("--public-key") { Description = "PEM 公钥文件 / PEM public key file", Required = true };
        var command = new Command("verify", Describe("校验报告目录的签名与每个文件 / verify a report directory's signature and every file", "  teenmode verify teenmode-report --public-key auditor.pub.pem")) { dir, key };
        command.SetAction(async (parse, ct) =>
        {
            if (!TryReadKey(ui, parse.GetValue(key)!, out var pem) || !TryDirectory(ui, parse.GetValue(dir)!))
            {
                return ExitCodes.UsageError;
            }

            try
            {
                var result = await ReportSigner.VerifyAsync(parse.GetValue(dir)!, pem, ct);
                foreach (var problem in result.Problems)
                {
                    ui.Error(problem);
                }

                ui.Verdict(result.Valid, result.Valid ? "签名有效，文件未改动 / signature valid, no file changed" : "校验失败 / verification FAILED");
                return result.Valid ? 0 : 1;
            }
            catch (ArgumentException ex)
            {
                ui.Error(ex.Message);
                return ExitCodes.UsageError;
            }
        });
        return command;
    }

    private static Command DiffCommand(Ui ui)
    {
        var baseline = new Argument<string>("base") { Description = "基线 report.json / baseline report.json" };
        var current = new Argument<string>("new") { Description = "新的 report.json / new report.json" };
        var command = new Command("diff", Describe("比较两份报告：新增失败、修复、证据变化 / compare two reports: new failures, fixes, changed evidence", "  teenmode diff baseline/report.json teenmode-report/report.json")) { baseline, current };
        command.SetAction(parse =>
        {
            if (!TryReadReport(ui, parse.GetValue(baseline)!, out var a) | !TryReadReport(ui, parse.GetValue(current)!, out var b))
            {
                return ExitCodes.UsageError;
            }

            var diff = ReportDiff.Compare(a, b);
            Section("新增失败 / new failures", diff.NewFailures);
            Section("已修复 / fixed", diff.Fixes);
            Section("其他结果变化 / other verdict changes", diff.OtherChanges);
            Section("证据变化 / changed evidence", diff.ChangedEvidence);
            Section("新增检查 / added cases", diff.Added);
            Section("移除检查 / removed cases", diff.Removed);
            return diff.NewFailures.Count > 0 ? ExitCodes.NonConformant : 0;

            void Section(string title, IReadOnlyList<string> items)
            {
                ui.Out($"{title}: {items.Count}");
                foreach (var item in items)
                {
                    ui.Out($"  {item}");
                }
            }
        });
        return command;
    }

    private static bool TryReadReport(Ui ui, string path, out JObject report)
    {
        report = null!;
        try
        {
            using var reader = new JsonTextReader(File.OpenText(path)) { DateParseHandling = DateParseHandling.None };
            if (JToken.ReadFrom(reader) is JObject { } obj && obj["checks"] is JArray)
            {
                report = obj;
                return true;
            }

            ui.Error($"{path}: 不是 TeenMode report.json（缺少 checks）/ not a TeenMode report.json (no 'checks')");
        }
        catch (JsonReaderException ex)
        {
            ui.Error($"{path}:{ex.LineNumber}:{ex.LinePosition}: JSON 语法错误 / JSON syntax error: {ex.Message}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            ui.Error($"{path}: 无法读取 / cannot read: {ex.Message}");
        }

        return false;
    }

    private static bool TryReadKey(Ui ui, string path, out string pem)
    {
        pem = "";
        try
        {
            pem = File.ReadAllText(path);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            ui.Error($"{path}: 无法读取密钥 / cannot read key: {ex.Message}");
            return false;
        }
    }

    private static bool TryDirectory(Ui ui, string path)
    {
        if (Directory.Exists(path))
        {
            return true;
        }

        ui.Error($"{path}: 目录不存在 / no such directory");
        return false;
    }

    // Help text with examples: System.CommandLine prints the description under the usage line.
    /// <summary>
    /// A client with no cookie container of its own: cookies are per synthetic user, so a profile captures and sends
    /// them explicitly; a shared jar would mix one subject's session into another's requests.
    /// </summary>
    internal static HttpClient NewClient() => new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { Timeout = Timeout.InfiniteTimeSpan };

    internal static Option<string[]> VarOption() => new("--var")
    {
        Description = "配置变量 name=value，可重复 / a profile variable name=value (repeatable)",
        Arity = ArgumentArity.ZeroOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary>The conformance key and <c>--var</c> values; false (with a message) when one is malformed or the key is needed but missing.</summary>
    internal static bool TryVariables(Ui ui, ParseResult parse, Option<string[]> vars, Option<string?> key, AppProfile profile, out Dictionary<string, string> variables)
    {
        variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in parse.GetValue(vars) ?? [])
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || !Templating.Template.IsValidName(pair[..eq]))
            {
                ui.Error($"--var 须为 name=value / --var must be name=value: '{pair}'");
                return false;
            }

            variables[pair[..eq]] = pair[(eq + 1)..];
        }

        var keyValue = parse.GetValue(key) ?? Environment.GetEnvironmentVariable(KeyVariable);
        if (!string.IsNullOrEmpty(keyValue))
        {
            variables["conformanceKey"] = keyValue;
        }
        else if (profile.HeaderVariables.Contains("conformanceKey"))
        {
            ui.Error($"缺少一致性测试密钥：请使用 --conformance-key 或设置 {KeyVariable} / no conformance key: pass --conformance-key or set {KeyVariable}");
            return false;
        }

        return true;
    }

    internal static string Describe(string text, string examples) => $"{text}\n\n示例 / Examples:\n{examples}";

    private static Option<string> SuiteOption() =>
        new("--suite") { Description = "套件文件或内置套件编号 / suite file or built-in suite id", DefaultValueFactory = _ => SuiteLoader.DefaultSuiteId };

    private static Option<string?> RulesOption() =>
        new("--rules") { Description = "示例应用使用的规则包文件（默认内置）/ rule pack file for the sample app (default: built-in)" };

    /// <summary>Validates a rule pack before the sample app starts, so a bad file is an input error (exit 2), not a crash.</summary>
    private static bool TryLoadRules(Ui ui, string? path)
    {
        if (path is null)
        {
            return true;
        }

        try
        {
            RulePackLoader.LoadFile(path);
            return true;
        }
        catch (TeenModeConfigurationException ex)
        {
            ui.ConfigErrors(ex);
            return false;
        }
    }

    internal static bool TryLoad(Ui ui, string suiteRef, string profileRef, out Suite suite, out AppProfile profile)
    {
        suite = null!;
        profile = null!;
        var ok = true;
        try
        {
            suite = SuiteLoader.Resolve(suiteRef);
        }
        catch (TeenModeConfigurationException ex)
        {
            ui.ConfigErrors(ex);
            ok = false;
        }

        try
        {
            // A profile may name the capabilities of the suite it is run with as well as the built-in suite's.
            var known = suite is null ? null : new HashSet<string>(ProfileLoader.KnownCapabilities.Concat(suite.CapabilityNames()), StringComparer.Ordinal);
            profile = ProfileLoader.Resolve(profileRef, known);
        }
        catch (TeenModeConfigurationException ex)
        {
            ui.ConfigErrors(ex);
            ok = false;
        }

        return ok;
    }

    /// <summary>Rule packs have <c>bands</c>, profiles <c>actions</c>; anything else (including unreadable JSON) is linted as a suite.</summary>
    private static string Classify(string file)
    {
        try
        {
            using var reader = new JsonTextReader(File.OpenText(file));
            if (JToken.ReadFrom(reader) is not JObject obj || obj.ContainsKey("checks"))
            {
                return "suite";
            }

            return obj.ContainsKey("bands") ? "rules" : obj.ContainsKey("actions") ? "profile" : "suite";
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return "suite";
        }
    }
}
