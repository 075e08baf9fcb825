using System.Data.Common;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace TeenMode.AspNetCore.Internal;

/// <summary>
/// Fail closed at the HTTP edge, quickly. A store that throws (a lock held too long, a database down, a command timeout)
/// is answered <c>503 store-unavailable</c> with <c>Retry-After</c>, never a 500 and never a 200; so is an endpoint that
/// has not answered within <see cref="TeenModeOptions.StoreTimeout"/>, however its store waits (a driver that blocks a
/// thread on a lock included). Gates deny by themselves (see <c>FailClosed</c> in the SDK); this bounds every endpoint.
/// </summary>
internal static partial class StoreFailureFilter
{
    internal static bool IsStoreFailure(Exception ex, CancellationToken requestAborted) => ex switch
    {
        DbException or TimeoutException => true,
        OperationCanceledException => !requestAborted.IsCancellationRequested,
        _ => ex.InnerException is { } inner && IsStoreFailure(inner, requestAborted),
    };

    public static async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var services = http.RequestServices;
        var timeout = services.GetService<IOptions<TeenModeOptions>>()?.Value.StoreTimeout;
        var bounded = timeout is not null && http.GetEndpoint()?.Metadata.GetMetadata<NoDeadline>() is null;
        Task<object?>? work = null;
        try
        {
            if (!bounded)
            {
                return await next(context).ConfigureAwait(false);
            }

            // The clock starts once the request is in hand: a slow upload is the client's time, not the store's.
            await BufferBodyAsync(http.Request).ConfigureAwait(false);

            // On the pool, so a handler whose store blocks the thread synchronously cannot hold the deadline up.
            work = Task.Run(() => next(context).AsTask(), CancellationToken.None);
            var time = services.GetService<TimeProvider>() ?? TimeProvider.System;
            return await work.WaitAsync(timeout!.Value, time).ConfigureAwait(false);
        }
        catch (TimeoutException) when (work is { IsCompleted: false })
        {
            if (http.Response.HasStarted)
            {
                // The handler is already answering: the store did answer, so let it finish.
                return await work.ConfigureAwait(false);
            }

            Log.TooSlow(Logger(http), http.Request.Method, Route(http), timeout!.Value);

            // Answer now, then keep the request alive until the abandoned handler returns, so it never sees a recycled
            // HttpContext. Work past the deadline is abandoned, not cancelled, as in the gates: a write completes or fails whole.
            // Connection: close, because HTTP/1.1 would queue the client's next request on this connection behind the handler.
            http.Response.Headers.Connection = "close";
            await Json.StoreUnavailable().ExecuteAsync(http).ConfigureAwait(false);
            await http.Response.CompleteAsync().ConfigureAwait(false);
            try
            {
                await work.ConfigureAwait(false);
            }
#pragma warning disable CA1031 // the client already has its answer; a late failure is only logged
            catch (Exception late)
#pragma warning restore CA1031
            {
                Log.LateFailure(Logger(http), late, http.Request.Method, Route(http));
            }

            return Results.Empty;
        }
        catch (Exception ex) when (IsStoreFailure(ex, http.RequestAborted))
        {
            Log.Failed(Logger(http), ex, http.Request.Method, Route(http));
            return Json.StoreUnavailable();
        }
    }

    /// <summary>
    /// Marks a staff endpoint that streams a large file in (an import) or out (an export): once bytes are out a 503 cannot
    /// replace them, and its body is bounded by its own limit. Store failures there are still answered 503.
    /// </summary>
    internal sealed class NoDeadline;

    private static async Task BufferBodyAsync(HttpRequest request)
    {
        if (request.ContentLength is 0 || request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: false })
        {
            return;
        }

        // One byte past the limit is enough for the reader to answer 413; the rest is left unread.
        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while (buffer.Length <= Json.MaxBodyBytes
               && (read = await request.Body.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, Json.MaxBodyBytes + 1 - buffer.Length)), request.HttpContext.RequestAborted).ConfigureAwait(false)) > 0)
        {
            buffer.Write(chunk, 0, read);
        }

        buffer.Position = 0;
        request.Body = buffer;
        request.HttpContext.Response.RegisterForDispose(buffer);
    }

    private static ILogger Logger(HttpContext http) =>
        http.RequestServices.GetService<ILoggerFactory>()?.CreateLogger("TeenMode.AspNetCore.StoreFailure")
        ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    // The pattern, not the path: a path may hold a subject id.
    private static string? Route(HttpContext http) => (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;

    private static partial class Log
    {
        [LoggerMessage(EventId = 9101, Level = LogLevel.Error, Message = "The store failed during {Method} {Route}; answered 503 (fail closed).")]
        public static partial void Failed(ILogger logger, Exception exception, string method, string? route);

        [LoggerMessage(EventId = 9102, Level = LogLevel.Error, Message = "{Method} {Route} did not answer within {Timeout}; answered 503 (fail closed).")]
        public static partial void TooSlow(ILogger logger, string method, string? route, TimeSpan timeout);

        [LoggerMessage(EventId = 9103, Level = LogLevel.Warning, Message = "{Method} {Route} failed after its 503 was sent.")]
        public static partial void LateFailure(ILogger logger, Exception exception, string method, string? route);
    }
}
