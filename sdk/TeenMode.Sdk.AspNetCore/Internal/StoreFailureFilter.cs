using System.Data.Common;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TeenMode.AspNetCore.Internal;

/// <summary>
/// Fail closed at the HTTP edge: a store that throws (a lock held too long, a database down, a command timeout) is answered
/// <c>503 store-unavailable</c> with <c>Retry-After</c> on every TeenMode endpoint, never a 500 and never a 200.
/// Gates deny by themselves (see <c>FailClosed</c> in the SDK); this covers every other endpoint with one filter.
/// </summary>
internal static class StoreFailureFilter
{

    internal static bool IsStoreFailure(Exception ex, CancellationToken requestAborted) => ex switch
    {
        DbException or TimeoutException => true,
        OperationCanceledException => !requestAborted.IsCancellationRequested,
        _ => ex.InnerException is { } inner && IsStoreFailure(inner, requestAborted),
    };

    public static async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsStoreFailure(ex, context.HttpContext.RequestAborted))
        {
            context.HttpContext.RequestServices.GetService<ILoggerFactory>()?.CreateLogger("TeenMode.AspNetCore.StoreFailure")
                .LogError(ex, "The store failed during {Method} {Route}; answered 503 (fail closed).", context.HttpContext.Request.Method,
                    (context.HttpContext.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText);
            return Json.StoreUnavailable();
        }
    }
}
