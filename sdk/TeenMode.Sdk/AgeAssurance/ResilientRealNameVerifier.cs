using System.Globalization;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace TeenMode.AgeAssurance;

/// <summary>
/// Wraps the app's verifier in one Polly pipeline (retry → circuit breaker → per-attempt timeout) shared by all three
/// calls, since they reach the same provider. Transport failures that outlast the pipeline become
/// <see cref="RealNameOutcome.Unavailable"/>; answers (Verified, Pending, Failed, a refused upload) pass through untouched.
/// Logs carry the operation, outcome and exception type only: never names, identity numbers, account or player ids.
/// </summary>
internal sealed class ResilientRealNameVerifier : IRealNameVerifier
{
    private const string CheckOperation = "real-name-check";
    private const string QueryOperation = "real-name-query";
    private const string UploadOperation = "behaviour-upload";

    private readonly IRealNameVerifier _inner;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _pipeline;

    public ResilientRealNameVerifier(IRealNameVerifier inner, RealNameVerificationOptions options, TimeProvider time, ILogger<ResilientRealNameVerifier>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        options.Validate();
        _inner = inner;
        _logger = (ILogger?)logger ?? NullLogger.Instance;

        var builder = new ResiliencePipelineBuilder { TimeProvider = time };
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome.Exception, args.Context.CancellationToken)),
                MaxRetryAttempts = options.MaxRetries,
                Delay = options.BaseDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                // A user is waiting on the answer: past a minute between attempts, Unavailable is the better reply.
                MaxDelay = TimeSpan.FromMinutes(1),
                OnRetry = args =>
                {
                    // AttemptNumber counts from 0: the first retry is retry 1.
                    LogRetry(_logger, args.Context.OperationKey ?? "?", args.AttemptNumber + 1, ErrorName(args.Outcome.Exception),
                        (long)args.RetryDelay.TotalMilliseconds, null);
                    return ValueTask.CompletedTask;
                },
            });
        }

        _pipeline = builder
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome.Exception, args.Context.CancellationToken)),
                FailureRatio = options.FailureRatio,
                MinimumThroughput = options.MinimumThroughput,
                SamplingDuration = options.SamplingDuration,
                BreakDuration = options.BreakDuration,
                OnOpened = args =>
                {
                    LogCircuitOpened(_logger, (long)args.BreakDuration.TotalSeconds, ErrorName(args.Outcome.Exception), null);
                    return ValueTask.CompletedTask;
                },
                OnHalfOpened = _ =>
                {
                    LogCircuitHalfOpened(_logger, null);
                    return ValueTask.CompletedTask;
                },
                OnClosed = _ =>
                {
                    LogCircuitClosed(_logger, null);
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(options.AttemptTimeout)
            .Build();
    }

    public Task<RealNameResult> CheckAsync(RealNameCheck check, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(check);
        return RunAsync(CheckOperation, token => _inner.CheckAsync(check, token), RealNameResult.Unavailable, r => r.Outcome, cancellationToken);
    }

    public Task<RealNameResult> QueryAsync(string accountId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(accountId);
        return RunAsync(QueryOperation, token => _inner.QueryAsync(accountId, token), RealNameResult.Unavailable, r => r.Outcome, cancellationToken);
    }

    public Task<BehaviourUploadResult> ReportBehaviourAsync(IReadOnlyList<GameBehaviourRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        return RunAsync(UploadOperation, token => _inner.ReportBehaviourAsync(records, token), BehaviourUploadResult.Unavailable,
            r => r.Accepted ? "accepted" : "refused", cancellationToken);
    }

    private async Task<T> RunAsync<T>(string operation, Func<CancellationToken, Task<T>> call, T unavailable, Func<T, object> describe,
        CancellationToken cancellationToken)
        where T : class
    {
        var context = ResilienceContextPool.Shared.Get(operation, cancellationToken);
        try
        {
            var result = await _pipeline.ExecuteAsync(
                static async (ctx, call) => await call(ctx.CancellationToken).ConfigureAwait(ctx.ContinueOnCapturedContext),
                context, call).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"The real-name provider returned null from {operation}; it must return a result.");
            LogAnswered(_logger, operation, describe(result), null);
            return result;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The caller gave up: that is not the provider's fault, so it is neither logged as an outage nor hidden.
            throw;
        }
        catch (Exception ex) when (IsTransient(ex, cancellationToken) || ex is BrokenCircuitException)
        {
            // Only the type: a provider's exception message may quote the request, which holds a name and identity number.
            LogUnavailable(_logger, operation, ErrorName(ex), null);
            return unavailable;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>
    /// Transport trouble, worth another attempt: anything but the caller's own cancellation, an open circuit (waiting is
    /// the point) and programming errors in the provider, which surface rather than pass for an outage.
    /// </summary>
    internal static bool IsTransient(Exception? exception, CancellationToken callerToken) => exception switch
    {
        null => false,
        OperationCanceledException => !callerToken.IsCancellationRequested,
        BrokenCircuitException => false,
        TimeoutRejectedException or TimeoutException or HttpRequestException or IOException or SocketException => true,
        ArgumentException or InvalidOperationException or NullReferenceException or NotImplementedException or NotSupportedException
            or InvalidCastException or TeenModeConfigurationException => false,
        _ => true,
    };

    private static string ErrorName(Exception? exception) => exception?.GetType().Name ?? "none";

    private static readonly Action<ILogger, string, object, Exception?> LogAnswered = LoggerMessage.Define<string, object>(
        LogLevel.Debug, new EventId(7101, "RealNameAnswered"), "Real-name provider answered {Operation}: {Outcome}.");

    private static readonly Action<ILogger, string, int, string, long, Exception?> LogRetry = LoggerMessage.Define<string, int, string, long>(
        LogLevel.Information, new EventId(7102, "RealNameRetry"),
        "Real-name provider call {Operation} failed ({Error}); retry {Retry} follows in {DelayMs} ms.");

    private static readonly Action<ILogger, string, string, Exception?> LogUnavailable = LoggerMessage.Define<string, string>(
        LogLevel.Warning, new EventId(7103, "RealNameUnavailable"),
        "Real-name provider unavailable for {Operation} ({Error}); the user stays unverified.");

    private static readonly Action<ILogger, long, string, Exception?> LogCircuitOpened = LoggerMessage.Define<long, string>(
        LogLevel.Warning, new EventId(7104, "RealNameCircuitOpened"),
        "Real-name provider circuit opened for {BreakSeconds} s after repeated failures (last: {Error}); calls answer Unavailable meanwhile.");

    private static readonly Action<ILogger, Exception?> LogCircuitHalfOpened = LoggerMessage.Define(
        LogLevel.Information, new EventId(7105, "RealNameCircuitHalfOpened"), "Real-name provider circuit half-open: one trial call goes through.");

    private static readonly Action<ILogger, Exception?> LogCircuitClosed = LoggerMessage.Define(
        LogLevel.Information, new EventId(7106, "RealNameCircuitClosed"), "Real-name provider circuit closed: the provider answers again.");

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"ResilientRealNameVerifier({_inner.GetType().Name})");
}
