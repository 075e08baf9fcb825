using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace TeenMode.AspNetCore.Internal;

/// <summary>
/// The one exception boundary of every TeenMode endpoint, added by the SDK's own Map* methods so an app cannot forget it.
/// An unhandled exception is a 500 problem+json <c>internal-error</c> in every environment: no stack trace, no exception
/// message, no request data. It is logged once, with the exception and the route pattern (never the body or headers).
/// </summary>
internal static partial class ExceptionBoundary
{
    public const string LoggerCategory = "TeenMode.AspNetCore.ExceptionBoundary";

    /// <summary>Adds the boundary as the outermost filter of the group (filters added later by the app run inside it).</summary>
    public static RouteGroupBuilder WithExceptionBoundary(this RouteGroupBuilder group)
    {
        group.AddEndpointFilter(InvokeAsync);
        return group;
    }

    private static async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        try
        {
            return await next(context);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away: nobody to answer.
            throw;
        }
        catch (BadHttpRequestException ex)
        {
            // Kestrel's own refusals while the body is read (too large, malformed framing): the client's fault, answered as such.
            var (logger, route) = (Logger(http), Route(http));
            Log.BadRequest(logger, ex.StatusCode, route);
            return ex.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? Json.Problem(ex.StatusCode, "body-too-large", "请求体过大", "The request body is too large")
                : Json.Problem(ex.StatusCode, "invalid-request", "请求无效", "The request is invalid", "The request could not be read.");
        }
#pragma warning disable CA1031 // the boundary: every other exception becomes one opaque 500
        catch (Exception ex)
#pragma warning restore CA1031
        {
            var (logger, route) = (Logger(http), Route(http));
            Log.Unhandled(logger, ex, route);
            if (http.Response.HasStarted)
            {
                // Part of a response went out (e.g. an export); a problem body cannot follow it.
                http.Abort();
                return Results.Empty;
            }

            return Json.Problem(StatusCodes.Status500InternalServerError, "internal-error", "服务器内部错误，请稍后再试", "Internal server error; please try again later",
                "The request could not be completed. The error was logged; nothing about it is returned here.");
        }
    }

    private static ILogger Logger(HttpContext http) =>
        http.RequestServices.GetService<ILoggerFactory>()?.CreateLogger(LoggerCategory) ?? NullLogger.Instance;

    // The pattern, not the path: a path may hold a subject id.
    private static string Route(HttpContext http) =>
        (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? http.GetEndpoint()?.DisplayName ?? "(unknown)";

    private static partial class Log
    {
        [LoggerMessage(EventId = 9001, Level = LogLevel.Error, Message = "Unhandled exception in TeenMode endpoint {Route}; answered 500 internal-error")]
        public static partial void Unhandled(ILogger logger, Exception exception, string route);

        [LoggerMessage(EventId = 9002, Level = LogLevel.Information, Message = "Unreadable request to TeenMode endpoint {Route}; answered {Status}")]
        public static partial void BadRequest(ILogger logger, int status, string route);
    }
}
