using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TeenMode.AspNetCore.Internal;

namespace TeenMode.AspNetCore;

/// <summary>
/// The default names of the authorization policies the TeenMode staff and admin endpoints require. The app registers
/// policies under these names (e.g. <c>AddAuthorizationBuilder().AddPolicy(TeenModePolicies.ReportReviewer, p => p.RequireRole("reviewer"))</c>);
/// the SDK never lets those endpoints run anonymously.
/// </summary>
public static class TeenModePolicies
{
    /// <summary>Report review: list, read, triage, action, reject, close (<see cref="ReportingEndpoints.MapTeenModeReportReview"/>).</summary>
    public const string ReportReviewer = "teenmode-report-reviewer";

    /// <summary>Refund decisions (<see cref="TeenModeSpendingEndpoints.MapTeenModeRefundReview"/>).</summary>
    public const string RefundReviewer = "teenmode-refund-reviewer";

    /// <summary>Content import, export and rating (<see cref="TeenModeContentEndpoints.MapTeenModeContentAdmin"/>).</summary>
    public const string ContentAdmin = "teenmode-content-admin";

    /// <summary>Staff access to minors' personal data and the incident flow (<see cref="PiProtectionEndpoints.MapTeenModePiAdmin"/>).</summary>
    public const string PiAdmin = "teenmode-pi-admin";
}

/// <summary>Which authorization policy each TeenMode staff surface requires. Defaults: <see cref="TeenModePolicies"/>.</summary>
public sealed class TeenModeAuthorizationOptions
{
    /// <summary>The policy of the report-review endpoints.</summary>
    public string ReportReviewerPolicy { get; set; } = TeenModePolicies.ReportReviewer;

    /// <summary>The policy of the refund-review endpoints.</summary>
    public string RefundReviewerPolicy { get; set; } = TeenModePolicies.RefundReviewer;

    /// <summary>The policy of the content admin endpoints.</summary>
    public string ContentAdminPolicy { get; set; } = TeenModePolicies.ContentAdmin;

    /// <summary>The policy of the personal-information admin endpoints (staff access, breaches).</summary>
    public string PiAdminPolicy { get; set; } = TeenModePolicies.PiAdmin;
}

/// <summary>Registers the TeenMode staff authorization: policy names and problem+json answers for 401 and 403.</summary>
public static class TeenModeAuthorizationExtensions
{
    /// <summary>
    /// Sets the policy names (optional) and makes refusals on TeenMode staff endpoints answer <c>application/problem+json</c>:
    /// <c>401</c> with reasonCode <c>unauthenticated</c>, <c>403</c> with <c>forbidden</c>. Other endpoints keep ASP.NET Core's
    /// default behaviour. The app still registers the policies and an authentication scheme itself.
    /// </summary>
    public static IServiceCollection AddTeenModeAuthorization(this IServiceCollection services, Action<TeenModeAuthorizationOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<TeenModeAuthorizationOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.AddAuthorization();
        services.Replace(ServiceDescriptor.Singleton<IAuthorizationMiddlewareResultHandler, TeenModeAuthorizationResultHandler>());
        return services;
    }

    /// <summary>Requires <paramref name="select"/>'s policy on a staff group; fails at mapping time when the policy is not registered.</summary>
    internal static RouteGroupBuilder RequireStaffPolicy(this RouteGroupBuilder group, IEndpointRouteBuilder endpoints, Func<TeenModeAuthorizationOptions, string> select, string surface)
    {
        var sp = endpoints.ServiceProvider;
        var policy = select(sp.GetService<IOptions<TeenModeAuthorizationOptions>>()?.Value ?? new TeenModeAuthorizationOptions());
        if (string.IsNullOrWhiteSpace(policy))
        {
            throw new TeenModeConfigurationException(
                $"TeenMode {surface}: 授权策略名不能为空 / the authorization policy name must not be empty (TeenModeAuthorizationOptions).");
        }

        // Only the default provider can be asked synchronously; a custom provider is trusted to know its policies
        // (ASP.NET Core then throws at the first request if it does not).
        var provider = sp.GetService<IAuthorizationPolicyProvider>();
        if (provider is null or DefaultAuthorizationPolicyProvider
            && sp.GetService<IOptions<AuthorizationOptions>>()?.Value.GetPolicy(policy) is null)
        {
            throw new TeenModeConfigurationException(
                $"TeenMode {surface}: 未注册授权策略 '{policy}'，工作人员接口不会匿名开放 / the authorization policy '{policy}' is not registered; "
                + $"staff endpoints never run anonymously. Register it, e.g. services.AddAuthorizationBuilder().AddPolicy(\"{policy}\", p => p.RequireRole(\"reviewer\")).");
        }

        group.RequireAuthorization(policy);
        group.WithMetadata(StaffEndpointMarker.Instance);
        return group;
    }
}

/// <summary>Marks the endpoints whose authorization refusals TeenMode answers with problem+json.</summary>
internal sealed class StaffEndpointMarker
{
    public static readonly StaffEndpointMarker Instance = new();
}

/// <summary>Writes problem+json for 401/403 on TeenMode staff endpoints; everything else goes to ASP.NET Core's handler.</summary>
internal sealed class TeenModeAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _inner = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(authorizeResult);
        if (context.GetEndpoint()?.Metadata.GetMetadata<StaffEndpointMarker>() is null || authorizeResult.Succeeded)
        {
            await _inner.HandleAsync(next, context, policy, authorizeResult).ConfigureAwait(false);
            return;
        }

        // Let the schemes add their headers (e.g. WWW-Authenticate) first, then write the body.
        var schemes = policy.AuthenticationSchemes;
        if (authorizeResult.Challenged)
        {
            await ForEachScheme(schemes, s => context.ChallengeAsync(s)).ConfigureAwait(false);
        }
        else
        {
            await ForEachScheme(schemes, s => context.ForbidAsync(s)).ConfigureAwait(false);
        }

        if (context.Response.HasStarted)
        {
            return;
        }

        var result = authorizeResult.Challenged
            ? Json.Problem(StatusCodes.Status401Unauthorized, "unauthenticated", "需要工作人员身份", "Staff credentials required",
                "Send valid staff credentials; nothing was read or changed.")
            : Json.Problem(StatusCodes.Status403Forbidden, "forbidden", "无权执行此操作", "You are not permitted to do this",
                "Your credentials do not grant this staff role; nothing was read or changed.");
        await result.ExecuteAsync(context).ConfigureAwait(false);
    }

    private static async Task ForEachScheme(IReadOnlyList<string> schemes, Func<string?, Task> act)
    {
        if (schemes.Count == 0)
        {
            await act(null).ConfigureAwait(false);
            return;
        }

        foreach (var scheme in schemes)
        {
            await act(scheme).ConfigureAwait(false);
        }
    }
}
