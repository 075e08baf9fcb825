using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using TeenMode.Reporting;
using TeenMode.Storage;

namespace TeenMode;

public static partial class TeenModeServiceCollectionExtensions
{
    /// <summary>The resilience handler's name on the webhook client (its metrics and logs carry it).</summary>
    private const string AuthorityWebhookPipeline = "authority-webhook";

    /// <summary>
    /// Sends authority notices to an HTTP webhook (HMAC-SHA256 signed, with an idempotency key) instead of keeping them
    /// queued. The webhook's <see cref="HttpClient"/> is the <see cref="IHttpClientFactory"/> client
    /// <see cref="HttpWebhookAuthoritySink.HttpClientName"/> with a Microsoft.Extensions.Http.Resilience handler
    /// (retries inside a round, circuit breaker, attempt timeout) set from <see cref="AuthorityDispatchOptions"/> and
    /// timed by the app's <see cref="TimeProvider"/>. Delivery runs when the host calls
    /// <see cref="IAuthorityNoticeDispatcher.DispatchPendingAsync"/> or when an ASP.NET Core host adds the background dispatcher.
    /// </summary>
    /// <param name="builder">The TeenMode builder.</param>
    /// <param name="configure">Sets the URL and the secret.</param>
    /// <param name="configureClient">Optional: more for the webhook client (a proxy, a primary handler in tests).</param>
    /// <exception cref="TeenModeConfigurationException">The URL or secret is missing or unfit.</exception>
    public static ITeenModeBuilder UseAuthorityWebhook(this ITeenModeBuilder builder, Action<AuthorityWebhookOptions> configure,
        Action<IHttpClientBuilder>? configureClient = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new AuthorityWebhookOptions();
        configure(options);
        options.Validate();

        // The resilience handler owns every time limit; HttpClient's own 100 s would cut its retries short.
        var client = builder.Services.AddHttpClient(HttpWebhookAuthoritySink.HttpClientName)
            .ConfigureHttpClient(http => http.Timeout = Timeout.InfiniteTimeSpan);

        // Called twice, the client must not get a second handler.
        if (!builder.Services.Any(d => d.ServiceType == typeof(AuthorityWebhookResilienceMarker)))
        {
            builder.Services.AddSingleton<AuthorityWebhookResilienceMarker>();
            client.AddResilienceHandler(AuthorityWebhookPipeline, static (pipeline, context) =>
                AddAuthorityWebhookResilience(pipeline, context.ServiceProvider.GetRequiredService<IOptions<AuthorityDispatchOptions>>().Value));
        }

        configureClient?.Invoke(client);
        builder.Services.RemoveAll<IAuthoritySink>();
        builder.Services.AddSingleton<IAuthoritySink>(sp => new HttpWebhookAuthoritySink(options, sp.GetRequiredService<IHttpClientFactory>()));
        return builder;
    }

    /// <summary>
    /// Retry (inside one round), circuit breaker and attempt timeout, outermost first. The builder's TimeProvider is the
    /// app's, from DI (Microsoft.Extensions.Resilience sets it), so tests drive the delays with a fake clock.
    /// </summary>
    private static void AddAuthorityWebhookResilience(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, AuthorityDispatchOptions options)
    {
        // Any non-2xx leaves the notice undelivered, not only the transient codes; a caller's cancel and an open circuit
        // are not retried (the outbox tries again next round).
        var failed = new PredicateBuilder<HttpResponseMessage>()
            .Handle<Exception>(e => e is not OperationCanceledException and not BrokenCircuitException)
            .HandleResult(r => !r.IsSuccessStatusCode);
        if (options.RetriesPerRound > 0)
        {
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                ShouldHandle = failed,
                MaxRetryAttempts = options.RetriesPerRound,
                Delay = options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,

                // A long Retry-After would stall the whole round; the outbox's backoff covers long waits.
                ShouldRetryAfterHeader = false,
            });
        }

        pipeline
            .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
            {
                ShouldHandle = failed,
                FailureRatio = 0.5,
                MinimumThroughput = 4,
                SamplingDuration = TimeSpan.FromSeconds(60),
                BreakDuration = options.BreakDuration,
            })
            .AddTimeout(options.AttemptTimeout);
    }

    private static void AddReporting(IServiceCollection services)
    {
        services.AddOptions<AuthorityDispatchOptions>();
        services.TryAddSingleton<IReportDeadlinePolicy, RulePackReportDeadlinePolicy>();
        services.TryAddSingleton<IReportActionExecutor, RecordOnlyActionExecutor>();
        services.TryAddSingleton(sp => new ReportingMetrics(sp.GetService<IMeterFactory>()));
        services.TryAddSingleton<ReportingChannel>();
        services.Replace(ServiceDescriptor.Singleton<IReportingChannel>(sp => sp.GetRequiredService<ReportingChannel>()));
        services.TryAddSingleton<IReportReview>(sp => sp.GetRequiredService<ReportingChannel>());
        services.TryAddSingleton<IReportVisibility, ReportVisibility>();
        services.TryAddSingleton<IAuthoritySink, UnconfiguredAuthoritySink>();
        services.TryAddSingleton<IAuthorityNoticeDispatcher>(sp => new AuthorityNoticeDispatcher(
            sp.GetRequiredService<IReportWorkflowStore>(),
            sp.GetRequiredService<IAuthoritySink>(),
            sp.GetRequiredService<Audit.IAuditLog>(),
            sp.GetRequiredService<ReportingMetrics>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<AuthorityDispatchOptions>>(),
            sp.GetService<Microsoft.Extensions.Logging.ILogger<AuthorityNoticeDispatcher>>()));
    }

    /// <summary>Marks that the webhook client already has its resilience handler.</summary>
    private sealed class AuthorityWebhookResilienceMarker;
}
