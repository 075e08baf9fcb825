using System.Globalization;

namespace TeenMode.LoadDriver;

/// <summary>Which cells to run, how long, and against what.</summary>
internal sealed record LoadPlan
{
    public required IReadOnlyList<StoreConfig> Configs { get; init; }

    public required IReadOnlyList<Scenario> Scenarios { get; init; }

    public required IReadOnlyList<int> Concurrency { get; init; }

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Unmeasured load per scenario once each app has started, before its first cell: a fresh process spends its first
    /// seconds compiling hot methods again (tiered JIT), and on two cores that would be charged to whichever cell came first.
    /// </summary>
    public TimeSpan AppWarmup { get; init; } = TimeSpan.FromSeconds(5);

    public int MaxRequests { get; init; } = 200_000;

    public int Subjects { get; init; } = 1000;

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Apps already running (then <see cref="Configs"/> holds one entry that only labels them); null: the driver starts its own.</summary>
    public IReadOnlyList<Uri>? Targets { get; init; }

    /// <summary>The running apps' conformance key (with <see cref="Targets"/>).</summary>
    public string? Key { get; init; }

    /// <summary>A PostgreSQL server for self-started apps; null: TEENMODE_TEST_POSTGRES or .ci/postgres.sh.</summary>
    public string? Postgres { get; init; }
}

/// <summary>Everything a plan measured, with what the report needs to say about the store.</summary>
internal sealed class PlanOutcome
{
    public List<CellResult> Results { get; } = [];

    public string? PostgresVersion { get; set; }

    public string? PostgresSource { get; set; }

    public bool Failed => Results.Any(r => r.Failed);
}

/// <summary>Runs a plan: per store configuration, start the apps (or take the given ones), register the subjects, run each cell.</summary>
internal static class LoadRunner
{
    public static async Task<PlanOutcome> RunAsync(LoadPlan plan, TextWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(output);
        var outcome = new PlanOutcome();
        if (plan.Targets is { } targets)
        {
            // Refused before any request is sent.
            var checkedTargets = targets.Select(t => LoopbackTarget.Parse(t.AbsoluteUri)).ToArray();
            var key = plan.Key ?? throw new UsageException("缺少一致性测试密钥 / --key (or TEENMODE_CONFORMANCE_KEY) is required with --target: the driver sets the app's virtual clock");
            await RunConfigAsync(plan, plan.Configs[0] with { Instances = checkedTargets.Length }, checkedTargets, key, outcome, output, cancellationToken).ConfigureAwait(false);
            return outcome;
        }

        PostgresServer? postgres = null;
        try
        {
            if (plan.Configs.Any(c => c.Store == StoreConfig.Postgres))
            {
                postgres = await PostgresServer.ObtainAsync(plan.Postgres, output).ConfigureAwait(false);
                outcome.PostgresVersion = await postgres.VersionAsync().ConfigureAwait(false);
                outcome.PostgresSource = postgres.Source;
                await output.WriteLineAsync($"PostgreSQL {outcome.PostgresVersion}").ConfigureAwait(false);
            }

            foreach (var config in plan.Configs)
            {
                await using var deployment = await Deployment.StartAsync(config, postgres).ConfigureAwait(false);
                await RunConfigAsync(plan, config, deployment.Targets, deployment.Key, outcome, output, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            if (postgres is not null)
            {
                await postgres.DisposeAsync().ConfigureAwait(false);
            }
        }

        return outcome;
    }

    private static async Task RunConfigAsync(LoadPlan plan, StoreConfig config, IReadOnlyList<Uri> targets, string key, PlanOutcome outcome, TextWriter output, CancellationToken cancellationToken)
    {
        using var session = new LoadSession(targets, key, plan.Subjects, plan.Concurrency.Max(), plan.RequestTimeout);
        await output.WriteLineAsync($"{config.Label} × {targets.Count} ({string.Join(", ", targets)}): registering {plan.Subjects:N0} minors …").ConfigureAwait(false);
        await session.PrepareAsync(cancellationToken).ConfigureAwait(false);
        if (plan.AppWarmup > TimeSpan.Zero)
        {
            await output.WriteLineAsync($"warming up: {plan.AppWarmup.TotalSeconds:0.#} s per scenario at concurrency {plan.Concurrency.Max()} (not measured) …").ConfigureAwait(false);
            foreach (var scenario in plan.Scenarios)
            {
                await session.WarmUpAsync(scenario, plan.Concurrency.Max(), plan.AppWarmup, cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var scenario in plan.Scenarios)
        {
            foreach (var concurrency in plan.Concurrency)
            {
                var result = await session.RunAsync(config, new CellSpec(scenario, concurrency, plan.Duration, plan.MaxRequests, plan.Warmup), cancellationToken).ConfigureAwait(false);
                outcome.Results.Add(result);
                await output.WriteLineAsync(Report.Line(result)).ConfigureAwait(false);
                if (result.ErrorCount > 0)
                {
                    await output.WriteLineAsync("  errors: " + Report.ErrorKinds(result)).ConfigureAwait(false);
                }

                if (result.Ledger is { } ledger)
                {
                    await output.WriteLineAsync("  ledger: " + ledger.Describe()).ConfigureAwait(false);
                }
            }
        }
    }
}

/// <summary>The printed and written forms of results: one line per cell while running, markdown tables at the end.</summary>
internal static class Report
{
    public const double HeartbeatTarget = 10_000;
    public const double HeartbeatP99TargetMs = 20;
    public const double CurfewRatioTarget = 0.8;
    public const int AcceptanceConcurrency = 32;

    public static string Line(CellResult r) => string.Create(CultureInfo.InvariantCulture,
        $"{r.Spec.Scenario.Wire(),-13} {r.Config.Label,-10} ×{r.Config.Instances}  c={r.Spec.Concurrency,-3} {r.Requests,9:N0} req {r.RequestsPerSecond,9:N0}/s  p50 {r.P50Ms,6:0.0} ms  p99 {r.P99Ms,6:0.0} ms  max {r.MaxMs,7:0.0} ms  errors {r.ErrorCount:N0}");

    public static string ErrorKinds(CellResult r) => string.Join(", ", r.Errors.Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.Key} ×{e.Value:N0}")));

    /// <summary>One table per scenario, the curfew comparison and the acceptance measures.</summary>
    public static string Markdown(IReadOnlyList<CellResult> results)
    {
        var md = new System.Text.StringBuilder();
        foreach (var scenario in Scenarios.All)
        {
            var rows = results.Where(r => r.Spec.Scenario == scenario).ToList();
            if (rows.Count == 0)
            {
                continue;
            }

            md.AppendLine(CultureInfo.InvariantCulture, $"### {scenario.Wire()}").AppendLine();
            var ledger = scenario == Scenario.Heartbeats;
            md.AppendLine("| store | instances | concurrency | requests | requests/s | p50 ms | p99 ms | max ms | errors |" + (ledger ? " ledger (warm-up included) |" : ""));
            md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---|" + (ledger ? "---|" : ""));
            foreach (var r in rows)
            {
                var errors = r.ErrorCount == 0 ? "0" : string.Create(CultureInfo.InvariantCulture, $"{r.ErrorCount:N0} ({ErrorKinds(r)})");
                md.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {r.Config.Label} | {r.Config.Instances} | {r.Spec.Concurrency} | {r.Requests:N0} | {r.RequestsPerSecond:N0} | {r.P50Ms:0.0} | {r.P99Ms:0.0} | {r.MaxMs:0.0} | {errors} |")
                    + (ledger ? $" {r.Ledger?.Describe() ?? "—"} |" : ""));
            }

            md.AppendLine();
        }

        var pairs = (from allowed in results.Where(r => r.Spec.Scenario == Scenario.Usage)
                     join curfew in results.Where(r => r.Spec.Scenario == Scenario.UsageCurfew)
                         on (allowed.Config, allowed.Spec.Concurrency) equals (curfew.Config, curfew.Spec.Concurrency)
                     select (allowed, curfew)).ToList();
        if (pairs.Count > 0)
        {
            md.AppendLine("### usage checks in curfew against allowed").AppendLine();
            md.AppendLine("| store | instances | concurrency | allowed requests/s | curfew requests/s | curfew ÷ allowed |");
            md.AppendLine("|---|---:|---:|---:|---:|---:|");
            foreach (var (allowed, curfew) in pairs)
            {
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {allowed.Config.Label} | {allowed.Config.Instances} | {allowed.Spec.Concurrency} | {allowed.RequestsPerSecond:N0} | {curfew.RequestsPerSecond:N0} | {Ratio(allowed, curfew):0.00} |");
            }

            md.AppendLine();
        }

        md.AppendLine("### Acceptance measures (issue #15)").AppendLine();
        md.AppendLine("| measure | target | measured | met |");
        md.AppendLine("|---|---|---|---|");
        var sqlite = Find(results, Scenario.Heartbeats, new StoreConfig(StoreConfig.Sqlite, 1));
        md.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| SQLite heartbeats, 1 instance, concurrency {AcceptanceConcurrency} | ≥ {HeartbeatTarget:N0}/s, p99 < {HeartbeatP99TargetMs} ms | ")
            + (sqlite is null ? "not measured | — |" : string.Create(CultureInfo.InvariantCulture, $"{sqlite.RequestsPerSecond:N0}/s, p99 {sqlite.P99Ms:0.0} ms | {Met(sqlite.RequestsPerSecond >= HeartbeatTarget && sqlite.P99Ms < HeartbeatP99TargetMs)} |")));
        foreach (var (allowed, curfew) in pairs.Where(p => p.allowed.Spec.Concurrency == AcceptanceConcurrency))
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| usage checks in curfew ÷ allowed, {allowed.Config.Label} × {allowed.Config.Instances}, concurrency {AcceptanceConcurrency} | ≥ {CurfewRatioTarget:0.0} | {Ratio(allowed, curfew):0.00} | {Met(Ratio(allowed, curfew) >= CurfewRatioTarget)} |");
        }

        var postgres = Find(results, Scenario.Heartbeats, new StoreConfig(StoreConfig.Postgres, 2));
        md.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| PostgreSQL heartbeats, 2 instances, concurrency {AcceptanceConcurrency} | ≥ {HeartbeatTarget:N0}/s | ")
            + (postgres is null ? "not measured | — |" : string.Create(CultureInfo.InvariantCulture, $"{postgres.RequestsPerSecond:N0}/s | {Met(postgres.RequestsPerSecond >= HeartbeatTarget)} |")));
        var ledgers = results.Where(r => r.Ledger is not null).ToList();
        md.AppendLine(CultureInfo.InvariantCulture, $"| ledger holds exactly the acknowledged heartbeats | every heartbeat cell | {ledgers.Count(r => r.Ledger!.Ok)} of {ledgers.Count} cells | {Met(ledgers.All(r => r.Ledger!.Ok))} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| every minor refused in curfew, allowed outside it | no wrong decision | {results.Sum(r => r.Errors.GetValueOrDefault(CellResult.WrongDecision)):N0} wrong | {Met(results.All(r => !r.Errors.ContainsKey(CellResult.WrongDecision)))} |");
        return md.ToString();
    }

    private static CellResult? Find(IReadOnlyList<CellResult> results, Scenario scenario, StoreConfig config) =>
        results.FirstOrDefault(r => r.Spec.Scenario == scenario && r.Config == config && r.Spec.Concurrency == AcceptanceConcurrency);

    private static double Ratio(CellResult allowed, CellResult curfew) => allowed.RequestsPerSecond > 0 ? curfew.RequestsPerSecond / allowed.RequestsPerSecond : 0;

    private static string Met(bool met) => met ? "yes" : "**no**";
}
