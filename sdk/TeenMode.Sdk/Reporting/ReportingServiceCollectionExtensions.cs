using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TeenMode.Reporting;
using TeenMode.Storage;

namespace TeenMode;

public static partial class TeenModeServiceCollectionExtensions
{
    /// <summary>
    /// Sends authority notices to an HTTP webhook (HMAC-SHA256 signed, with an idempotency key) instead of keeping them
    /// queued. Delivery runs when the host calls <see cref="IAuthorityNoticeDispatcher.DispatchPendingAsync"/> or when an
    /// ASP.NET Core host adds the background dispatcher.
    /// </summary>
    /// <exception cref="TeenModeConfigurationException">The URL or secret is missing or unfit (checked when the sink is first used).</exception>
    public static ITeenModeBuilder UseAuthorityWebhook(this ITeenModeBuilder builder, Action<AuthorityWebhookOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new AuthorityWebhookOptions();
        configure(options);
        options.Validate();
        builder.Services.RemoveAll<IAuthoritySink>();
        builder.Services.AddSingleton<IAuthoritySink>(_ => new HttpWebhookAuthoritySink(options));
        return builder;
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
}
