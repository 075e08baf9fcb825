using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace TeenMode.AgeAssurance;

/// <summary>
/// What an app gets when it registered no real-name provider: every call answers Unavailable, so nobody is ever
/// treated as verified by accident (fail closed). Warns once, on first use, so the gap shows in the logs.
/// </summary>
internal sealed class UnconfiguredRealNameVerifier(ILogger<UnconfiguredRealNameVerifier>? logger = null) : IRealNameVerifier
{
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;
    private int _warned;

    public Task<RealNameResult> CheckAsync(RealNameCheck check, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(check);
        WarnOnce();
        return Task.FromResult(RealNameResult.Unavailable);
    }

    public Task<RealNameResult> QueryAsync(string accountId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(accountId);
        WarnOnce();
        return Task.FromResult(RealNameResult.Unavailable);
    }

    public Task<BehaviourUploadResult> ReportBehaviourAsync(IReadOnlyList<GameBehaviourRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        WarnOnce();
        return Task.FromResult(BehaviourUploadResult.Unavailable);
    }

    private void WarnOnce()
    {
        if (Interlocked.Exchange(ref _warned, 1) == 0)
        {
            LogNoProvider(_logger, null);
        }
    }

    private static readonly Action<ILogger, Exception?> LogNoProvider = LoggerMessage.Define(
        LogLevel.Warning, new EventId(7100, "RealNameProviderMissing"),
        "No real-name provider is registered (AddTeenModeRealNameVerifier); every real-name call answers Unavailable and users stay unverified.");
}
