using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace TeenMode.Storage;

/// <summary>
/// The one wrapper every gate runs its store work through: a store that fails, or answers later than
/// <see cref="TeenModeOptions.StoreTimeout"/>, turns the answer into the gate's <c>store-unavailable</c> denial.
/// A minor is never allowed, and never kept waiting, because the store is down.
/// </summary>
internal sealed class FailClosed(TimeProvider time, IOptions<TeenModeOptions> options)
{
    private readonly TimeSpan _timeout = options.Value.StoreTimeout;

    private static readonly Func<Decision> StoreUnavailable = static () => Decision.Deny(ReasonCode.StoreUnavailable);

    /// <summary>Runs a gate's decision; a store failure or timeout denies with <c>store-unavailable</c>.</summary>
    public Task<Decision> DecideAsync(Func<CancellationToken, Task<Decision>> decide, ILogger logger, string what, CancellationToken cancellationToken) =>
        RunAsync(decide, StoreUnavailable, logger, what, cancellationToken);

    /// <summary>Runs <paramref name="decide"/>; on a store failure or timeout logs once and returns <paramref name="denied"/>.</summary>
    /// <remarks>
    /// Work past the deadline is abandoned, not cancelled: a write then completes or fails whole (a spend is never
    /// counted without its audit entry), and the client's retry with the same idempotency key or sequence is safe.
    /// </remarks>
    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> decide, Func<T> denied, ILogger logger, string what, CancellationToken cancellationToken)
    {
        Task<T>? work = null;
        try
        {
            // Started on the pool: a driver that blocks synchronously (SQLite waiting on a lock) cannot hold the deadline up.
            work = Task.Run(() => decide(cancellationToken), CancellationToken.None);
            if (!work.IsCompleted)
            {
                await work.WaitAsync(_timeout, time, cancellationToken).ConfigureAwait(false);
            }

            return await work.ConfigureAwait(false);
        }
        catch (TimeoutException) when (work is { IsCompleted: false })
        {
            // Observe a late failure of the abandoned work so it is not reported as unobserved.
            _ = work.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            logger.LogError("{What}: the store did not answer within {Timeout}; denying (fail closed).", what, _timeout);
            return denied();
        }
        catch (Exception ex) when (IsStoreFailure(ex, cancellationToken))
        {
            logger.LogError(ex, "{What}: the store failed; denying (fail closed).", what);
            return denied();
        }
    }

    /// <summary>Whether an exception is the store failing (not the caller cancelling, not a programming or configuration error).</summary>
    internal static bool IsStoreFailure(Exception ex, CancellationToken cancellationToken) => ex switch
    {
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        ArgumentException or TeenModeConfigurationException or NullReferenceException => false,
        _ => true,
    };
}
