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
/// <remarks>
/// It wraps the endpoint's whole request delegate, not only the handler: a service that cannot be built or a parameter
/// that cannot be bound fails before any endpoint filter runs, and would otherwise reach the developer exception page.
/// </remarks>
internal static partial class ExceptionBoundary
{
    public const string LoggerCategory = "TeenMode.AspNetCore.ExceptionBoundary";

    /// <summary>Wraps every endpoint of the group, outside its filters and parameter binding.</summary>
    public static RouteGroupBuilder WithExceptionBoundary(this RouteGroupBuilder group)
    {
        // Finally conventions run once the endpoint's request delegate has been built from the handler.
        ((IEndpointConventionBuilder)group).Finally(static endpoint =>
        {
            if (endpoint.RequestDelegate is { } inner)
            {
                endpoint.RequestDelegate = http => InvokeAsync(http, inner);
            }
        });
        return group;
    }

    private static async Task InvokeAsync(HttpContext http, RequestDelegate inner)
    {
        try
        {
            await inner(http).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away: nobody to answer.
        }
        catch (BadHttpRequestException ex)
        {
            // Kestrel's own refusals while the body is read (too large, malformed framing), and binding failures: the client's fault.
            var (logger, route) = (Logger(http), Route(http));
            Log.BadRequest(logger, ex.StatusCode, route);

            await AnswerAsync(http, ex.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? Json.Problem(ex.StatusCode, "body-too-large", "请求体过大", "The request body is too large")
                : Json.Problem(ex.StatusCode, "invalid-request", "请求无效", "The request is invalid", "The request could not be read.")).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // the boundary: every other exception becomes one opaque 500
        catch (Exception ex)
#pragma warning restore CA1031
        {
            var (logger, route) = (Logger(http), Route(http));
            Log.Unhandled(logger, ex, route);
            await AnswerAsync(http, Json.Problem(StatusCodes.Status500InternalServerError, "internal-error", "服务器内部错误，请稍后再试", "Internal server error; please try again later",
                "The request could not be completed. The error was logged; nothing about it is returned here.")).ConfigureAwait(false);
        }
    }

    private static Task AnswerAsync(HttpContext http, IResult problem)
    {
        if (http.Response.HasStarted)
        {
            // Part of a response went out (e.g. an export); a problem body cannot follow it.
            http.Abort();
            return Task.CompletedTask;
        }

        // Whatever the failed handler set (status, headers) is not part of the answer.
        http.Response.Clear();
        return problem.ExecuteAsync(http);
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
