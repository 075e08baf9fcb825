using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using TeenMode.Reporting;
using TeenMode.Rules;
using TeenMode.Subjects;

namespace TeenMode.Health;

/// <summary>Registers the TeenMode health checks on the host's health-check builder.</summary>
public static class TeenModeHealthChecksBuilderExtensions
{
    /// <summary>The tag of checks that only say the process is up (no store work): map them to a liveness probe.</summary>
    public const string LiveTag = "live";

    /// <summary>The tag of checks that say the app can serve (store, rule packs, outbox): map them to a readiness probe.</summary>
    public const string ReadyTag = "ready";

    /// <summary>
    /// Adds <c>teenmode-process</c> (tag <see cref="LiveTag"/>: always healthy once the host runs) and, tagged
    /// <see cref="ReadyTag"/>: <c>teenmode-store</c> (a subject read answers within <see cref="TeenModeOptions.StoreTimeout"/>,
    /// for whichever store is registered), <c>teenmode-rule-packs</c> (the rule pack and game rule pack load) and
    /// <c>teenmode-authority-outbox</c> (Degraded above <see cref="TeenModeHealthCheckOptions.OutboxBacklogDegraded"/>
    /// undelivered notices or an oldest one older than <see cref="TeenModeHealthCheckOptions.OutboxOldestAgeDegraded"/>).
    /// Results carry fixed descriptions and counts, never exception text or personal data.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static IHealthChecksBuilder AddTeenModeHealthChecks(this IHealthChecksBuilder builder, Action<TeenModeHealthCheckOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<TeenModeHealthCheckOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        string[] live = [LiveTag];
        string[] ready = [ReadyTag];
        builder.Add(new HealthCheckRegistration("teenmode-process", _ => ProcessCheck.Instance, HealthStatus.Unhealthy, live));
        builder.Add(new HealthCheckRegistration("teenmode-store",
            sp => new StoreCheck(sp.GetRequiredService<ISubjectStore>(), sp.GetRequiredService<IOptions<TeenModeOptions>>(), sp.GetRequiredService<TimeProvider>()),
            HealthStatus.Unhealthy, ready));
        builder.Add(new HealthCheckRegistration("teenmode-rule-packs", sp => new RulePackCheck(sp), HealthStatus.Unhealthy, ready));
        builder.Add(new HealthCheckRegistration("teenmode-authority-outbox",
            sp => new OutboxCheck(sp.GetRequiredService<IReportWorkflowStore>(), sp.GetRequiredService<IOptions<TeenModeOptions>>(),
                sp.GetRequiredService<IOptions<TeenModeHealthCheckOptions>>(), sp.GetRequiredService<TimeProvider>()),
            HealthStatus.Unhealthy, ready));
        return builder;
    }

    private sealed class ProcessCheck : IHealthCheck
    {
        public static readonly ProcessCheck Instance = new();

        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(HealthCheckResult.Healthy("进程运行中 / process up"));
    }

    /// <summary>Runs store work under the store deadline, on the pool: a driver blocked on a lock cannot hold the probe up.</summary>
    internal static async Task<(bool Answered, bool TimedOut, T? Value)> WithinAsync<T>(Func<CancellationToken, Task<T>> read, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var work = Task.Run(() => read(cancellationToken), CancellationToken.None);
        try
        {
            return (true, false, await work.WaitAsync(timeout, time, cancellationToken).ConfigureAwait(false));
        }
#pragma warning disable CA1031 // Any failure of the read means "not ready"; its text is not passed on (it may name a host or a file).
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            // Observe a late failure of the abandoned read so it is not reported as unobserved.
            _ = work.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            return (false, ex is TimeoutException && !work.IsCompleted, default);
        }
    }

    private sealed class StoreCheck(ISubjectStore subjects, IOptions<TeenModeOptions> options, TimeProvider time) : IHealthCheck
    {
        // A fixed id no subject has: the read touches the store without reading anybody's data.
        private const string ProbeId = "teenmode-health-probe";

        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var timeout = options.Value.StoreTimeout;
            var (answered, timedOut, _) = await WithinAsync(ct => subjects.GetAsync(ProbeId, ct), timeout, time, cancellationToken).ConfigureAwait(false);
            return answered ? HealthCheckResult.Healthy("存储可达 / store reachable")
                : timedOut ? new HealthCheckResult(context.Registration.FailureStatus,
                    string.Create(CultureInfo.InvariantCulture, $"存储在 {timeout.TotalSeconds:0.###} 秒内未应答 / store did not answer within {timeout.TotalSeconds:0.###} s"))
                : new HealthCheckResult(context.Registration.FailureStatus, "存储读取失败 / store read failed");
        }
    }

    private sealed class RulePackCheck(IServiceProvider services) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                var pack = services.GetRequiredService<RulePack>();
                var games = services.GetRequiredService<GameRulePack>();
                return Task.FromResult(HealthCheckResult.Healthy("规则包已加载 / rule packs loaded",
                    new Dictionary<string, object> { ["rulePack"] = pack.Id, ["gameRulePack"] = games.Id }));
            }
            catch (Exception ex) when (ex is TeenModeConfigurationException or InvalidOperationException or IOException or FormatException)
            {
                // The exception names a file path or a parse position: kept out of the probe's answer.
                return Task.FromResult(new HealthCheckResult(context.Registration.FailureStatus, "规则包无法加载 / rule packs cannot be loaded"));
            }
        }
    }

    private sealed class OutboxCheck(IReportWorkflowStore store, IOptions<TeenModeOptions> options, IOptions<TeenModeHealthCheckOptions> thresholds, TimeProvider time)
        : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var limits = thresholds.Value;
            limits.Validate();
            var (answered, _, backlog) = await WithinAsync(store.GetOutboxBacklogAsync, options.Value.StoreTimeout, time, cancellationToken).ConfigureAwait(false);
            if (!answered || backlog is null)
            {
                return new HealthCheckResult(context.Registration.FailureStatus, "无法读取监管通报队列 / authority outbox unreadable");
            }

            var age = backlog.OldestCreatedAt is { } oldest ? time.GetUtcNow() - oldest : TimeSpan.Zero;
            var data = new Dictionary<string, object>
            {
                ["backlog"] = backlog.Count,
                ["oldestAgeSeconds"] = Math.Max(0, (long)age.TotalSeconds),
            };
            return backlog.Count > limits.OutboxBacklogDegraded || age > limits.OutboxOldestAgeDegraded
                ? HealthCheckResult.Degraded("监管通报积压 / authority notices are backing up", data: data)
                : HealthCheckResult.Healthy("监管通报队列正常 / authority outbox flowing", data);
        }
    }
}
