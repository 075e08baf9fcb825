using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace TeenMode.LoadDriver;

/// <summary>
/// <c>perf</c>: the load matrix, the per-request decision benchmarks and the peer comparison, written as one page
/// (docs/performance.md) with the machine, its load average and the commands, so the page can be regenerated anywhere.
/// </summary>
internal static class PerfCommand
{
    public const string Self = "dotnet run -c Release --project tests/TeenMode.LoadDriver --";
    public const string DecisionBenchmarks = "dotnet run -c Release --project tests/TeenMode.Benchmarks -- --filter '*UsageDecision*'";
    public const string PeersCommand = "dotnet run -c Release --project tests/TeenMode.Benchmarks -- peers";

    private static readonly TimeSpan ChildLimit = TimeSpan.FromMinutes(6);

    public static async Task<int> RunAsync(LoadPlan plan, string outPath, bool skipBenchmarks, string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        var loadBefore = LoadAverage();
        var outcome = await LoadRunner.RunAsync(plan, output, cancellationToken).ConfigureAwait(false);
        var loadAfterDriver = LoadAverage();

        string benchmarks;
        if (skipBenchmarks)
        {
            benchmarks = "not run (`--skip-benchmarks`)";
        }
        else
        {
            await output.WriteLineAsync("BenchmarkDotNet: " + DecisionBenchmarks).ConfigureAwait(false);
            benchmarks = await DecisionBenchmarksAsync(cancellationToken).ConfigureAwait(false);
        }

        var peers = await PeersAsync(output, cancellationToken).ConfigureAwait(false);
        var loadAtEnd = LoadAverage();

        var page = new StringBuilder();
        page.AppendLine("# Performance").AppendLine();
        page.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"Written by `{Self} {string.Join(' ', args.Select(Quote))}` on {started:yyyy-MM-dd HH:mm} UTC at commit `{Git("rev-parse --short HEAD")}`{(Git("status --porcelain --untracked-files=no").Length > 0 ? " (with uncommitted changes)" : "")}, ")
            + string.Create(CultureInfo.InvariantCulture, $"in {(DateTimeOffset.UtcNow - started).TotalMinutes:0.0} min. Run the same command to regenerate it; figures from a shared machine are noisy, so compare them with the load average below."));
        page.AppendLine();
        page.AppendLine("## Machine").AppendLine();
        page.AppendLine("| | |").AppendLine("|---|---|");
        page.AppendLine(CultureInfo.InvariantCulture, $"| CPU | {CpuModel()} |");
        page.AppendLine(CultureInfo.InvariantCulture, $"| cores | {Environment.ProcessorCount} (the load driver, the apps and the database share them) |");
        page.AppendLine(CultureInfo.InvariantCulture, $"| memory | {MemoryGiB()} |");
        page.AppendLine(CultureInfo.InvariantCulture, $"| OS | {OsName()}, kernel {Kernel()} |");
        page.AppendLine(CultureInfo.InvariantCulture, $"| .NET | {RuntimeInformation.FrameworkDescription}, SDK {Run("dotnet", "--version")} |");
        page.AppendLine(CultureInfo.InvariantCulture, $"| PostgreSQL | {(outcome.PostgresVersion is null ? "not used" : $"{outcome.PostgresVersion}; {outcome.PostgresSource}")} |");
        page.AppendLine(CultureInfo.InvariantCulture, $"| load average (1, 5, 15 min) before | {loadBefore} |");
        page.AppendLine(CultureInfo.InvariantCulture, $"| load average after the load driver | {loadAfterDriver} |");
        page.AppendLine(CultureInfo.InvariantCulture, $"| load average at the end | {loadAtEnd} |");
        page.AppendLine();
        page.AppendLine("## Commands").AppendLine();
        page.AppendLine("```bash");
        page.AppendLine("dotnet build TeenMode.sln -c Release");
        page.AppendLine(CultureInfo.InvariantCulture, $"{Self} {string.Join(' ', args.Select(Quote))}   # this page");
        page.AppendLine(CultureInfo.InvariantCulture, $"{Self} {MatrixCommand(plan)}   # the same load, printed only");
        page.AppendLine(CultureInfo.InvariantCulture, $"{Self} run --scenario heartbeats --concurrency 32   # one cell: SQLite, one instance");
        page.AppendLine(DecisionBenchmarks);
        page.AppendLine(PeersCommand);
        page.AppendLine("```").AppendLine();
        page.AppendLine("## Load driver (HTTP, loopback)").AppendLine();
        page.Append(CultureInfo.InvariantCulture,
            $"Each cell: the sample app (`samples/ShortVideoApp`, Release) as its own process with the conformance driver on, {plan.Subjects:N0} minors aged 17 ");
        page.Append(CultureInfo.InvariantCulture,
            $"(band 16-18, 2 h a day), the virtual clock frozen at {LoadSession.AllowedLocal} local (Asia/Shanghai) or, for `usage-curfew`, {LoadSession.CurfewLocal} ");
        page.Append(CultureInfo.InvariantCulture,
            $"(22:00–06:00 curfew: every minor refused, each refusal recorded as a blocked attempt). {plan.AppWarmup.TotalSeconds:0.#} s of unmeasured load per scenario after each app starts (JIT warm-up), ");
        page.Append(CultureInfo.InvariantCulture,
            $"{plan.Warmup.TotalSeconds:0.#} s of warm-up before each cell, then ");
        page.Append(CultureInfo.InvariantCulture,
            $"{plan.Duration.TotalSeconds:0.#} s or {plan.MaxRequests:N0} requests, whichever comes first; each concurrent worker keeps one request in flight. ");
        page.AppendLine("`heartbeats` sends `seconds: 1` with a new (subject, device, sequence) each time and is checked afterwards: each minor's counted seconds "
            + "(the usage decision's `remainingSeconds` before and after) must equal its acknowledged heartbeats. Two instances share one database and "
            + "the driver spreads its workers over both. Latency is the driver's, from sending a request to reading the whole answer; errors are non-2xx "
            + "answers, failed connections, time-outs and wrong decisions.");
        page.AppendLine();
        page.Append(Report.Markdown(outcome.Results));
        page.AppendLine();
        page.AppendLine("## Per-request usage decision (BenchmarkDotNet)").AppendLine();
        page.AppendLine("`UsageSnapshot.Decide` on a cached snapshot, no store and no HTTP (see README \"Performance\"):").AppendLine();
        page.AppendLine(benchmarks.TrimEnd()).AppendLine();
        page.AppendLine("## Peer comparison").AppendLine();
        page.AppendLine(peers.TrimEnd());
        Directory.CreateDirectory(Path.GetDirectoryName(outPath)!);
        await File.WriteAllTextAsync(outPath, page.ToString(), cancellationToken).ConfigureAwait(false);
        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteAsync(Report.Markdown(outcome.Results)).ConfigureAwait(false);
        await output.WriteLineAsync($"wrote {outPath}").ConfigureAwait(false);
        return outcome.Failed ? LoadDriverCli.CheckFailed : LoadDriverCli.Ok;
    }

    private static string MatrixCommand(LoadPlan plan) => string.Create(CultureInfo.InvariantCulture,
        $"matrix --stores {string.Join(',', plan.Configs)} --scenario {string.Join(',', plan.Scenarios.Select(s => s.Wire()))} --concurrency {string.Join(',', plan.Concurrency)} --duration {plan.Duration.TotalSeconds:0.###} --warmup {plan.Warmup.TotalSeconds:0.###} --app-warmup {plan.AppWarmup.TotalSeconds:0.###} --max-requests {plan.MaxRequests} --subjects {plan.Subjects}");

    // BenchmarkDotNet's GitHub-flavoured report, from a private artifacts folder so nothing lands in the source tree.
    private static async Task<string> DecisionBenchmarksAsync(CancellationToken cancellationToken)
    {
        var artifacts = Directory.CreateTempSubdirectory("teenmode-bdn-").FullName;
        try
        {
            var (code, stdout) = await RunChildAsync("dotnet",
                ["run", "-c", "Release", "--project", Path.Combine(RepoPaths.Root, "tests", "TeenMode.Benchmarks"), "--", "--filter", "*UsageDecision*", "--artifacts", artifacts],
                cancellationToken).ConfigureAwait(false);
            var report = Directory.Exists(Path.Combine(artifacts, "results"))
                ? Directory.GetFiles(Path.Combine(artifacts, "results"), "*-report-github.md").FirstOrDefault()
                : null;
            if (code != 0 || report is null)
            {
                return string.Create(CultureInfo.InvariantCulture, $"not run: the benchmark command exited {code}.\n\n```\n{Tail(stdout)}\n```");
            }

            return await File.ReadAllTextAsync(report, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            try
            {
                Directory.Delete(artifacts, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is harmless.
            }
        }
    }

    // The Cedar and Casbin peers run on node; their packages are installed here first, so the one command does it all.
    private static async Task<string> PeersAsync(TextWriter output, CancellationToken cancellationToken)
    {
        var peers = Path.Combine(RepoPaths.Root, "tests", "peers");
        if (!Directory.Exists(Path.Combine(peers, "node_modules")))
        {
            await output.WriteLineAsync("peers: npm ci --prefix tests/peers").ConfigureAwait(false);
            var (installed, log) = await RunChildAsync("npm", ["ci", "--prefix", peers, "--no-audit", "--no-fund", "--loglevel=error"], cancellationToken).ConfigureAwait(false);
            if (installed != 0)
            {
                return string.Create(CultureInfo.InvariantCulture, $"not run: `npm ci --prefix tests/peers` exited {installed}.\n\n```\n{Tail(log)}\n```");
            }
        }

        await output.WriteLineAsync("peers: " + PeersCommand).ConfigureAwait(false);
        var sources = Path.Combine(RepoPaths.Root, "tests", "TeenMode.Benchmarks");
        var (code, stdout) = await RunChildAsync("dotnet", ["run", "-c", "Release", "--project", sources, "--", "peers"], cancellationToken).ConfigureAwait(false);
        return code == 0
            ? stdout
            : string.Create(CultureInfo.InvariantCulture, $"not run: `{PeersCommand}` exited {code}.\n\n```\n{Tail(stdout)}\n```");
    }

    private static async Task<(int Code, string Output)> RunChildAsync(string file, string[] arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new StartException($"{file} did not start");

        // No answers on stdin: a switcher that would ask which benchmark to run gets end-of-file instead of waiting.
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken).WaitAsync(ChildLimit, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            return (-1, $"stopped after {ChildLimit.TotalMinutes} min or on request\n" + await stdout.ConfigureAwait(false));
        }

        return (process.ExitCode, await stdout.ConfigureAwait(false) + await stderr.ConfigureAwait(false));
    }

    private static string Tail(string text)
    {
        var lines = text.Split('\n');
        return string.Join('\n', lines.Skip(Math.Max(0, lines.Length - 30))).Trim();
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static string CpuModel() =>
        File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown"
            : RuntimeInformation.ProcessArchitecture.ToString();

    private static string MemoryGiB()
    {
        var line = File.Exists("/proc/meminfo") ? File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)) : null;
        var kib = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        return kib is not null && long.TryParse(kib, CultureInfo.InvariantCulture, out var k) ? string.Create(CultureInfo.InvariantCulture, $"{k / 1024.0 / 1024.0:0.0} GiB") : "unknown";
    }

    private static string OsName()
    {
        var line = File.Exists("/etc/os-release") ? File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal)) : null;
        return line?.Split('=', 2)[1].Trim('"') ?? RuntimeInformation.OSDescription;
    }

    private static string Kernel() =>
        File.Exists("/proc/sys/kernel/osrelease") ? File.ReadAllText("/proc/sys/kernel/osrelease").Trim() : RuntimeInformation.OSDescription;

    private static string Git(string arguments) => Run("git", arguments);

    private static string Run(string file, string arguments)
    {
        try
        {
            var start = new ProcessStartInfo(file, arguments) { WorkingDirectory = RepoPaths.Root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using var process = Process.Start(start);
            if (process is null)
            {
                return "unknown";
            }

            var text = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return process.ExitCode == 0 ? text : "unknown";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown";
        }
    }

    private static string Quote(string arg) => arg.Length > 0 && arg.All(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' or ',' or ':' or '/' or '=') ? arg : $"'{arg.Replace("'", "'\\''", StringComparison.Ordinal)}'";
}
