using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;

namespace TeenMode.AspNetCore.Internal;

/// <summary>
/// API-description metadata for the hand-written endpoints: they read bodies with <c>FieldReader</c>, so the body's
/// shape, the success status and the problem answers are stated here, beside the route.
/// </summary>
internal static class OpenApiMetadata
{
    private const string ProblemJson = "application/problem+json";

    /// <summary>The request body is a JSON object shaped like <typeparamref name="TBody"/> (a record in OpenApiBodies.cs).</summary>
    public static RouteHandlerBuilder Body<TBody>(this RouteHandlerBuilder builder, bool optional = false)
        where TBody : notnull =>
        builder.Accepts<TBody>(optional, "application/json");

    /// <summary>The success answer (JSON) and the problem answers this endpoint gives besides the group's.</summary>
    public static RouteHandlerBuilder Answers(this RouteHandlerBuilder builder, int success, params int[] problems)
    {
        builder.Produces<object>(success, "application/json");
        foreach (var status in problems)
        {
            builder.WithMetadata(new ProducesResponseTypeMetadata(status, typeof(TeenModeProblem), [ProblemJson]));
        }

        return builder;
    }

    /// <summary>Problems every endpoint of the API can answer: 400 (bad input), 500 (unexpected error), 503 (store unavailable).</summary>
    public static RouteGroupBuilder WithCommonProblems(this RouteGroupBuilder group)
    {
        foreach (var status in new[] { StatusCodes.Status400BadRequest, StatusCodes.Status500InternalServerError, StatusCodes.Status503ServiceUnavailable })
        {
            group.WithMetadata(new ProducesResponseTypeMetadata(status, typeof(TeenModeProblem), [ProblemJson]));
        }

        return group;
    }
}
