using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using TeenMode.AspNetCore.Internal;

namespace TeenMode.AspNetCore;

/// <summary>Fail closed on an app's own endpoints, as every TeenMode endpoint does.</summary>
public static class TeenModeFailClosedExtensions
{
    /// <summary>
    /// Answers <c>503</c> <c>application/problem+json</c> with reason code <c>store-unavailable</c> and <c>Retry-After</c> when an
    /// endpoint throws because the store failed (a <see cref="System.Data.Common.DbException"/>, a <see cref="TimeoutException"/>,
    /// or a cancellation the client did not ask for). The SDK applies it to every group it maps; apps add it to endpoints that call the SDK.
    /// </summary>
    public static TBuilder WithTeenModeFailClosed<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(StoreFailureFilter.InvokeAsync);
}
