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

    /// <summary>The scheme that reads the conformance key (content admin and the incident flow during a conformance run).</summary>
    public const string ConformanceScheme = "ConformanceKey";

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
        // Two schemes, so report and refund decisions ignore the conformance header entirely (401, not 403, without a reviewer key).
        builder.Services.AddAuthentication(StaffScheme)
            .AddScheme<StaffKeyOptions, StaffKeyHandler>(StaffScheme, o => o.Set(ReviewerKeyHeader, options.ReviewerKey, ReviewerRole))
            .AddScheme<StaffKeyOptions, StaffKeyHandler>(ConformanceScheme, o => o.Set(ConformanceDriverExtensions.KeyHeader, options.ConformanceKey, ConformanceRole));
        builder.Services.AddTeenModeAuthorization();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(TeenModePolicies.ReportReviewer, p => p.AddAuthenticationSchemes(StaffScheme).RequireRole(ReviewerRole))
            .AddPolicy(TeenModePolicies.RefundReviewer, p => p.AddAuthenticationSchemes(StaffScheme).RequireRole(ReviewerRole))
            .AddPolicy(TeenModePolicies.ContentAdmin, p => p.AddAuthenticationSchemes(StaffScheme, ConformanceScheme).RequireRole(ReviewerRole, ConformanceRole))
            .AddPolicy(TeenModePolicies.PiAdmin, p => p.AddAuthenticationSchemes(StaffScheme, ConformanceScheme).RequireRole(ReviewerRole, ConformanceRole));
    }

    private static void MapStaff(WebApplication app)
    {
        app.MapTeenModeReportReview();
        app.MapTeenModeRefundReview();
        app.MapTeenModeContentAdmin();
        app.MapTeenModePiAdmin();
    }
}

/// <summary>One staff key scheme: the header it reads, the SHA-256 of the key it accepts (null: none) and the role it grants.</summary>
public sealed class StaffKeyOptions : AuthenticationSchemeOptions
{
    /// <summary>The request header that carries the key.</summary>
    public string Header { get; set; } = ShortVideoAppHost.ReviewerKeyHeader;

    /// <summary>SHA-256 of the accepted key; null when the key is not configured (every attempt fails).</summary>
    public IReadOnlyList<byte>? KeyHash { get; set; }

    /// <summary>The role a matching key signs in with.</summary>
    public string Role { get; set; } = ShortVideoAppHost.ReviewerRole;

    internal void Set(string header, string? key, string role)
    {
        Header = header;
        KeyHash = key is null ? null : SHA256.HashData(Encoding.UTF8.GetBytes(key));
        Role = role;
    }
}

/// <summary>
/// Signs a request in with <see cref="StaffKeyOptions.Role"/> when its key header matches. Missing header: no result;
/// empty or wrong key: failure. Either way the staff policy then answers 401.
/// </summary>
internal sealed class StaffKeyHandler(IOptionsMonitor<StaffKeyOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<StaffKeyOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(Options.Header, out var values))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        // Hash first so the comparison is fixed-length: neither the key's content nor its length leaks through timing.
        var given = values.ToString();
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(given));
        if (Options.KeyHash is not { } expected || given.Length == 0 || !CryptographicOperations.FixedTimeEquals(hash, expected.ToArray()))
        {
            return Task.FromResult(AuthenticateResult.Fail("Missing or wrong staff key."));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, Options.Role), new Claim(ClaimTypes.Role, Options.Role)], Scheme.Name);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }
}
