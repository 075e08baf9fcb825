using System.Globalization;

namespace TeenMode.LoadDriver;

/// <summary>The command line: <c>run</c>, <c>matrix</c>, <c>perf</c>. Exit codes: 0 done, 1 a check failed, 2 bad arguments or a refused target, 3 the apps or the store could not be started or prepared.</summary>
internal static class LoadDriverCli
{
    public const int Ok = 0;
    public const int CheckFailed = 1;
    public const int BadArguments = 2;
    public const int CannotStart = 3;

    public const string Usage = """
        TeenMode load driver / 负载驱动（只对本机回环地址 / loopback only）

          run     one scenario (or a list) against given apps (--target URL --key KEY) or apps it starts (--store, --instances)
          matrix  heartbeats, usage and usage-curfew at concurrency 1, 8, 32 on SQLite ×1, PostgreSQL ×1 and ×2 (apps it starts)
          perf    the matrix plus the BenchmarkDotNet decision benchmarks and the peer comparison, written to docs/performance.md

        options:
          --scenario heartbeats|usage|usage-curfew[,…]   (run: heartbeats; matrix, perf: all)
          --concurrency N[,N…]       (run: 32; matrix, perf: 1,8,32)
          --duration SECONDS         measured time per cell (default 5, at most 300)
          --warmup SECONDS           unmeasured time before each cell (default 1, at most 60)
          --app-warmup SECONDS       unmeasured time per scenario after each app starts (default 5, at most 120)
          --max-requests N           per cell, whichever comes first with --duration (default 200000)
          --subjects N               minors the load is spread over (default 1000)
          --timeout SECONDS          one request's limit (default 10)
          --target URL[,URL…]        run: apps already running (loopback only), started with ASPNETCORE_ENVIRONMENT=Testing
          --key KEY                  run: their TEENMODE_CONFORMANCE_KEY (default: that environment variable)
          --store sqlite|postgres    run: the store to start (default sqlite), or the label of --target
          --instances N              run: app instances on one store (default 1)
          --stores LIST              matrix, perf: e.g. sqlite,postgres,postgres:2 (default)
          --postgres CONNECTION      a PostgreSQL server on loopback (default TEENMODE_TEST_POSTGRES, else .ci/postgres.sh starts one)
          --out FILE                 perf: the page to write (default docs/performance.md)
          --skip-benchmarks          perf: leave out BenchmarkDotNet

        exit codes: 0 done, 1 a check failed (ledger or a wrong decision), 2 bad arguments or a refused target, 3 apps or store not started
        """;

    private static readonly string[] PlanOptions = ["--scenario", "--concurrency", "--duration", "--warmup", "--app-warmup", "--max-requests", "--subjects", "--timeout", "--postgres"];

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            await output.WriteLineAsync(Usage).ConfigureAwait(false);
            return args.Length == 0 ? BadArguments : Ok;
        }

        try
        {
            var command = args[0];
            var rest = args[1..];
            switch (command)
            {
                case "run":
                {
                    var options = ArgOptions.Parse(rest, [.. PlanOptions, "--target", "--key", "--store", "--instances"], []);
                    var plan = RunPlan(options);
                    return await ReportAsync(await LoadRunner.RunAsync(plan, output, cancellationToken).ConfigureAwait(false), output).ConfigureAwait(false);
                }

                case "matrix":
                {
                    var options = ArgOptions.Parse(rest, [.. PlanOptions, "--stores"], []);
                    return await ReportAsync(await LoadRunner.RunAsync(MatrixPlan(options), output, cancellationToken).ConfigureAwait(false), output).ConfigureAwait(false);
                }

                case "perf":
                {
                    var options = ArgOptions.Parse(rest, [.. PlanOptions, "--stores", "--out"], ["--skip-benchmarks"]);
                    var outPath = Path.GetFullPath(options.Get("--out") ?? Path.Combine(RepoPaths.Root, "docs", "performance.md"));
                    return await PerfCommand.RunAsync(MatrixPlan(options), outPath, options.Flag("--skip-benchmarks"), args, output, cancellationToken).ConfigureAwait(false);
                }

                default:
                    throw new UsageException($"未知命令 / unknown command '{command}': use run, matrix or perf (--help)");
            }
        }
        catch (UsageException ex)
        {
            await error.WriteLineAsync("teenmode-load: " + ex.Message).ConfigureAwait(false);
            return BadArguments;
        }
        catch (Exception ex) when (ex is StartException or LoadSetupException)
        {
            await error.WriteLineAsync("teenmode-load: " + ex.Message).ConfigureAwait(false);
            return CannotStart;
        }
        catch (HttpRequestException ex)
        {
            await error.WriteLineAsync("teenmode-load: 无法连接应用 / cannot reach the app: " + ex.Message).ConfigureAwait(false);
            return CannotStart;
        }
    }

    internal static LoadPlan RunPlan(ArgOptions options)
    {
        var targets = options.List("--target").Select(LoopbackTarget.Parse).ToArray();
        var store = StoreConfig.Parse(options.Get("--store") ?? StoreConfig.Sqlite);
        var instances = options.Int("--instances", 1, 1, 8);
        if (targets.Length > 0 && options.Get("--instances") is not null)
        {
            throw new UsageException("--instances 只用于自启动的应用 / --instances is for apps the driver starts; with --target list every instance");
        }

        return Common(options) with
        {
            Configs = [store with { Instances = instances }],
            Scenarios = PickScenarios(options, [Scenario.Heartbeats]),
            Concurrency = PickConcurrency(options, [32]),
            Targets = targets.Length > 0 ? targets : null,
            Key = options.Get("--key") ?? Environment.GetEnvironmentVariable("TEENMODE_CONFORMANCE_KEY"),
        };
    }

    internal static LoadPlan MatrixPlan(ArgOptions options)
    {
        var stores = options.List("--stores").Select(StoreConfig.Parse).Distinct().ToArray();
        return Common(options) with
        {
            Configs = stores.Length > 0 ? stores : StoreConfig.Matrix,
            Scenarios = PickScenarios(options, TeenMode.LoadDriver.Scenarios.All),
            Concurrency = PickConcurrency(options, [1, 8, 32]),
        };
    }

    private static LoadPlan Common(ArgOptions options) => new()
    {
        Configs = [],
        Scenarios = [],
        Concurrency = [],
        Duration = options.Seconds("--duration", 5, 0.1, 300),
        Warmup = options.Seconds("--warmup", 1, 0, 60),
        AppWarmup = options.Seconds("--app-warmup", 5, 0, 120),
        MaxRequests = options.Int("--max-requests", 200_000, 1, 10_000_000),
        Subjects = options.Int("--subjects", 1000, 1, 100_000),
        RequestTimeout = options.Seconds("--timeout", 10, 0.1, 120),
        Postgres = options.Get("--postgres"),
    };

    private static Scenario[] PickScenarios(ArgOptions options, Scenario[] fallback)
    {
        var given = options.List("--scenario").Select(TeenMode.LoadDriver.Scenarios.Parse).Distinct().ToArray();
        return given.Length > 0 ? given : fallback;
    }

    private static int[] PickConcurrency(ArgOptions options, int[] fallback)
    {
        var given = options.List("--concurrency").Select(c => ArgOptions.ParseInt("--concurrency", c, 1, 256)).Distinct().ToArray();
        return given.Length > 0 ? given : fallback;
    }

    private static async Task<int> ReportAsync(PlanOutcome outcome, TextWriter output)
    {
        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteAsync(Report.Markdown(outcome.Results)).ConfigureAwait(false);
        return outcome.Failed ? CheckFailed : Ok;
    }
}

/// <summary><c>--name value</c> pairs (a name may repeat; lists may also be comma-separated) and bare flags.</summary>
internal sealed class ArgOptions
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    public static ArgOptions Parse(IReadOnlyList<string> args, IReadOnlyCollection<string> names, IReadOnlyCollection<string> flags)
    {
        var options = new ArgOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (flags.Contains(name))
            {
                options._flags.Add(name);
            }
            else if (names.Contains(name))
            {
                if (i + 1 >= args.Count)
                {
                    throw new UsageException($"{name} 缺少取值 / {name} needs a value");
                }

                if (!options._values.TryGetValue(name, out var list))
                {
                    options._values[name] = list = [];
                }

                list.Add(args[++i]);
            }
            else
            {
                throw new UsageException($"未知选项 / unknown option '{name}' (--help)");
            }
        }

        return options;
    }

    public string? Get(string name) => _values.TryGetValue(name, out var list) ? list[^1] : null;

    public bool Flag(string name) => _flags.Contains(name);

    public IReadOnlyList<string> List(string name) =>
        _values.TryGetValue(name, out var list) ? list.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray() : [];

    public int Int(string name, int fallback, int min, int max) => Get(name) is { } text ? ParseInt(name, text, min, max) : fallback;

    public TimeSpan Seconds(string name, double fallback, double min, double max)
    {
        if (Get(name) is not { } text)
        {
            return TimeSpan.FromSeconds(fallback);
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s >= min && s <= max
            ? TimeSpan.FromSeconds(s)
            : throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"{name} 须为 {min} 到 {max} 秒 / {name} must be {min} to {max} seconds, not '{text}'"));
    }

    public static int ParseInt(string name, string text, int min, int max) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"{name} 须为 {min} 到 {max} 的整数 / {name} must be a whole number from {min} to {max}, not '{text}'"));
}
