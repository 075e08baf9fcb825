using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TeenMode.PersonalInfo;

namespace TeenMode.AspNetCore;

/// <summary>How often the background retention purge runs.</summary>
public sealed class PersonalDataPurgeOptions
{
    /// <summary>Time between purge rounds. Default 1 hour.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>Calls <see cref="IPersonalInfo.PurgeExpiredAsync"/> every <see cref="PersonalDataPurgeOptions.Interval"/> on the app's <see cref="TimeProvider"/>.</summary>
internal sealed partial class PersonalDataPurgeService(
    IPersonalInfo personalInfo,
    IOptions<PersonalDataPurgeOptions> options,
    TimeProvider time,
    ILogger<PersonalDataPurgeService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var purged = await personalInfo.PurgeExpiredAsync(stoppingToken).ConfigureAwait(false);
                if (purged > 0)
                {
                    LogPurged(logger, purged);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A store outage must not end the loop; expired data is still found next round.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogRoundFailed(logger, ex.GetType().Name);
            }

            try
            {
                await Task.Delay(options.Value.Interval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(6101, LogLevel.Information, "Retention purge deleted {Count} expired personal-data values.")]
    private static partial void LogPurged(ILogger logger, int count);

    [LoggerMessage(6102, LogLevel.Warning, "Retention purge round failed ({ErrorType}); retrying next round.")]
    private static partial void LogRoundFailed(ILogger logger, string errorType);
}

/// <summary>Registers the background retention purge.</summary>
public static class PersonalDataPurgeExtensions
{
    /// <summary>Runs the personal-data retention purge in the background of an ASP.NET Core (or generic) host.</summary>
    public static ITeenModeBuilder AddPersonalDataPurge(this ITeenModeBuilder builder, Action<PersonalDataPurgeOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (configure is not null)
        {
            builder.Services.Configure(configure);
        }

        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, PersonalDataPurgeService>());
        return builder;
    }
}
