using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using TeenMode.AspNetCore;
using TeenMode.AspNetCore.Conformance;

namespace ShortVideoApp;

/// <summary>The sample's staff sign-in: a shared reviewer key, checked by an ASP.NET Core authentication scheme.</summary>
public static partial class ShortVideoAppHost
{
    /// <summary>The authentication scheme that reads <see cref="ReviewerKeyHeader"/>.</summary>
    public const string StaffScheme = "ReviewerKey";

    /// <summary>The header reviewers send their key in.</summary>
    public const string ReviewerKeyHeader = "X-Reviewer-Key";

    /// <summary>The role of a reviewer (all staff surfaces).</summary>
    public const string ReviewerRole = "reviewer";

    /// <summary>The role of the conformance harness (content admin and the incident flow only, never report or refund decisions).</summary>
    public const string ConformanceRole = "conformance";

    // Every secret the sample takes: empty, blank or short keys opened staff routes to anyone (issue 13).
    private static void EnsureStrongSecrets(ShortVideoAppOptions options)
    {
        Check(options.ReviewerKey, "ReviewerKey (TEENMODE_REVIEWER_KEY)");
        Check(options.ConformanceKey, "ConformanceKey (TEENMODE_CONFORMANCE_KEY)");
        Check(options.AuthoritySinkSecret, "AuthoritySinkSecret (TEENMODE_AUTHORITY_SECRET)");

        static void Check(string? value, string name)
        {
            if (value is not null && (string.IsNullOrWhiteSpace(value) || Encoding.UTF8.GetByteCount(value) < MinStaffKeyBytes))
            {
                throw new ArgumentException(
                    $"{name} 至少 {MinStaffKeyBytes} 字节且不能为空白 / {name} must be at least {MinStaffKeyBytes} bytes and not blank.", nameof(options));
            }
        }
    }

    private static void ConfigureStaff(WebApplicationBuilder builder, ShortVideoAppOptions options)
    {
        builder.Services.AddAuthentication(StaffScheme)
            .AddScheme<StaffKeyOptions, StaffKeyHandler>(StaffScheme, o =>
            {
                o.ReviewerKeyHash = Hash(options.ReviewerKey);
                o.ConformanceKeyHash = Hash(options.ConformanceKey);
            });
        builder.Services.AddTeenModeAuthorization();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(TeenModePolicies.ReportReviewer, p => p.AddAuthenticationSchemes(StaffScheme).RequireRole(ReviewerRole))
            .AddPolicy(TeenModePolicies.RefundReviewer, p => p.AddAuthenticationSchemes(StaffScheme).RequireRole(ReviewerRole))
            .AddPolicy(TeenModePolicies.ContentAdmin, p => p.AddAuthenticationSchemes(StaffScheme).RequireRole(ReviewerRole, ConformanceRole))
            .AddPolicy(TeenModePolicies.PiAdmin, p => p.AddAuthenticationSchemes(StaffScheme).RequireRole(ReviewerRole, ConformanceRole));

        static byte[]? Hash(string? key) => key is null ? null : SHA256.HashData(Encoding.UTF8.GetBytes(key));
    }

    private static void MapStaff(WebApplication app)
    {
        app.MapTeenModeReportReview();
        app.MapTeenModeRefundReview();
        app.MapTeenModeContentAdmin();
        app.MapTeenModePiAdmin();
    }
}

/// <summary>The SHA-256 hashes of the keys the staff scheme accepts (null: that key is not configured).</summary>
public sealed class StaffKeyOptions : AuthenticationSchemeOptions
{
    /// <summary>SHA-256 of the reviewer key.</summary>
    public IReadOnlyList<byte>? ReviewerKeyHash { get; set; }

    /// <summary>SHA-256 of the conformance key (only set when the conformance driver runs).</summary>
    public IReadOnlyList<byte>? ConformanceKeyHash { get; set; }
}

/// <summary>
/// Signs a request in as a reviewer when <c>X-Reviewer-Key</c> matches, or as the conformance harness when
/// <c>X-TeenMode-Conformance-Key</c> matches. Missing header: no result; empty or wrong: failure. Both give 401.
/// </summary>
internal sealed class StaffKeyHandler(IOptionsMonitor<StaffKeyOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<StaffKeyOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Request.Headers.TryGetValue(ShortVideoAppHost.ReviewerKeyHeader, out var reviewer))
        {
            return Task.FromResult(Check(reviewer.ToString(), Options.ReviewerKeyHash, ShortVideoAppHost.ReviewerRole));
        }

        if (Request.Headers.TryGetValue(ConformanceDriverExtensions.KeyHeader, out var conformance))
        {
            return Task.FromResult(Check(conformance.ToString(), Options.ConformanceKeyHash, ShortVideoAppHost.ConformanceRole));
        }

        return Task.FromResult(AuthenticateResult.NoResult());
    }

    private AuthenticateResult Check(string given, IReadOnlyList<byte>? expected, string role)
    {
        // Hash first so the comparison is fixed-length: neither the key's content nor its length leaks through timing.
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(given));
        if (expected is null || given.Length == 0 || !CryptographicOperations.FixedTimeEquals(hash, expected.ToArray()))
        {
            return AuthenticateResult.Fail("Missing or wrong staff key.");
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, role), new Claim(ClaimTypes.Role, role)], Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }
}
