using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TeenMode.Reporting;

namespace TeenMode.AspNetCore;

/// <summary>
/// Calls <see cref="IAuthorityNoticeDispatcher.DispatchPendingAsync"/> every <see cref="AuthorityDispatchOptions.PollInterval"/>
/// (on the app's <see cref="TimeProvider"/>). Notices live in the store, so a restart loses none: the next round picks them up.
/// </summary>
internal sealed partial class AuthorityNoticeDispatchService(
    IAuthorityNoticeDispatcher dispatcher,
    IOptions<AuthorityDispatchOptions> options,
    TimeProvider time,
    ILogger<AuthorityNoticeDispatchService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await dispatcher.DispatchPendingAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A store outage must not end the loop; the notices stay queued and the next round retries.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogRoundFailed(logger, ex.GetType().Name);
            }

            try
            {
                await Task.Delay(options.Value.PollInterval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(6002, LogLevel.Warning, "Authority-notice dispatch round failed ({ErrorType}); retrying next round.")]
    private static partial void LogRoundFailed(ILogger logger, string errorType);
}

/// <summary>Registers the background authority-notice dispatcher.</summary>
public static class AuthorityNoticeDispatchExtensions
{
    /// <summary>Runs authority-notice delivery in the background of an ASP.NET Core (or generic) host.</summary>
    public static ITeenModeBuilder AddAuthorityNoticeDispatcher(this ITeenModeBuilder builder, Action<AuthorityDispatchOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (configure is not null)
        {
            builder.Services.Configure(configure);
        }

        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, AuthorityNoticeDispatchService>());
        return builder;
    }
}
