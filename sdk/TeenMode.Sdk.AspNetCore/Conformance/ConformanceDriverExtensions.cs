using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TeenMode.AspNetCore.Internal;
using TeenMode.ContentPool;
using TeenMode.Rules;
using TeenMode.Subjects;

namespace TeenMode.AspNetCore.Conformance;

/// <summary>Registers and maps the conformance driver used by the TeenMode harness.</summary>
public static class ConformanceDriverExtensions
{
    /// <summary>The header that carries the shared secret.</summary>
    public const string KeyHeader = "X-TeenMode-Conformance-Key";

    /// <summary>The shortest shared secret the driver accepts, in UTF-8 bytes.</summary>
    public const int MinSecretBytes = 32;

    private static readonly string[] Capabilities = ["subject-setup", "virtual-clock", "content-setup", "guardian", "reporting", "report-review", "authority-sink", "games", "spending", "refunds", "pi-redaction", "pi-breach", "guardian-binding", "guardian-settings", "app-categories", "feature-toggles", "personal-info", "usage-report", "real-name", "age-signals", "device-minor-mode"];

    /// <summary>
    /// Replaces the app's clock with a <see cref="ConformanceClock"/> and registers the driver's options.
    /// The host then refuses to start in the Production environment.
    /// </summary>
    public static ITeenModeBuilder AddTeenModeConformanceDriver(this ITeenModeBuilder builder, Action<TeenModeConformanceDriverOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        services.Configure(configure);
        services.TryAddSingleton(sp => new ConformanceClock(TimeProvider.System));
        services.Replace(ServiceDescriptor.Singleton<TimeProvider>(sp => sp.GetRequiredService<ConformanceClock>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStartupFilter, RefuseInProductionStartupFilter>());
        ConformanceLogs.Register(services);
        return builder;
    }

    /// <summary>Maps the driver endpoints after checking it may run here.</summary>
    /// <exception cref="InvalidOperationException">The environment is not allowed (Production never is) or the driver is not enabled.</exception>
    /// <exception cref="TeenModeConfigurationException">The secret is missing, blank or shorter than <see cref="MinSecretBytes"/> bytes.</exception>
    public static RouteGroupBuilder MapTeenModeConformanceDriver(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var sp = endpoints.ServiceProvider;
        var options = sp.GetRequiredService<IOptions<TeenModeConformanceDriverOptions>>().Value;
        EnsureAllowed(sp.GetRequiredService<IHostEnvironment>(), options);
        if (sp.GetService<ConformanceClock>() is null || sp.GetRequiredService<TimeProvider>() is not ConformanceClock)
        {
            throw new InvalidOperationException("Call AddTeenModeConformanceDriver(...) on the TeenMode builder before mapping the conformance driver.");
        }

        // Compare fixed-length hashes so neither the content nor the length of the secret leaks through timing.
        var secret = SHA256.HashData(Encoding.UTF8.GetBytes(options.SharedSecret!));
        var group = endpoints.MapGroup(options.Prefix).WithExceptionBoundary().WithTeenModeFailClosed();
        group.AddEndpointFilter(async (context, next) =>
        {
            var given = SHA256.HashData(Encoding.UTF8.GetBytes(context.HttpContext.Request.Headers[KeyHeader].ToString()));
            return CryptographicOperations.FixedTimeEquals(given, secret)
                ? await next(context)
                : Json.Problem(StatusCodes.Status401Unauthorized, "conformance-key-required", "缺少或错误的一致性测试密钥", "Missing or wrong conformance key",
                    $"Send the shared secret in the {KeyHeader} header.");
        });

        group.MapGet("/info", (RulePack pack) => Json.Ok(new
        {
            driver = "teenmode-sdk",
            sdkVersion = typeof(Decision).Assembly.GetName().Version?.ToString(),
            rulePack = new { id = pack.Id, version = pack.Version, timeZone = pack.TimeZone.Id },
            capabilities = Capabilities,
        }));
        group.MapPost("/subjects", CreateSubjectAsync);
        group.MapPost("/content", CreateContentAsync);
        group.MapGet("/clock", (ConformanceClock clock, RulePack pack) => Json.Ok(Describe(clock, pack)));
        group.MapPut("/clock", SetClockAsync);
        group.MapPost("/clock/advance", AdvanceClockAsync);
        ConformanceReportingExtensions.Map(group);
        ConformanceSpending.Map(group);
        ConformanceLogs.Map(group);

        // Runs the retention purge now, so a check can advance the clock past a retention period and look.
        group.MapPost("/personal-info/purge", async (TeenMode.PersonalInfo.IPersonalInfo pi, CancellationToken ct) =>
            Json.Ok(new { purged = await pi.PurgeExpiredAsync(ct) }));
        return group;
    }

    internal static void EnsureAllowed(IHostEnvironment environment, TeenModeConformanceDriverOptions options)
    {
        // An allow-list, not a deny-list: "Production " or "prod" must not open the clock and setup endpoints.
        var name = environment.EnvironmentName?.Trim() ?? string.Empty;
        if (!options.AllowedEnvironments.Any(allowed => string.Equals(allowed?.Trim(), name, StringComparison.OrdinalIgnoreCase)) || environment.IsProduction())
        {
            throw new InvalidOperationException(
                $"The TeenMode conformance driver runs only in the environments {string.Join(", ", options.AllowedEnvironments)}, not in '{environment.EnvironmentName}'.");
        }

        if (!options.Enabled)
        {
            throw new InvalidOperationException("The TeenMode conformance driver is not enabled: set TeenModeConformanceDriverOptions.Enabled = true.");
        }

        if (string.IsNullOrWhiteSpace(options.SharedSecret) || Encoding.UTF8.GetByteCount(options.SharedSecret) < MinSecretBytes)
        {
            throw new TeenModeConfigurationException(
                $"一致性测试驱动的共享密钥（SharedSecret）须至少 {MinSecretBytes} 字节且不能为空白 / The TeenMode conformance driver needs a SharedSecret of at least {MinSecretBytes} bytes (UTF-8), not blank.");
        }
    }

    private static object Describe(ConformanceClock clock, RulePack pack)
    {
        var now = clock.GetUtcNow();
        return new
        {
            instant = now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
            local = pack.ToLocal(now).ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
            timeZone = pack.TimeZone.Id,
            frozen = clock.IsFrozen,
        };
    }

    private static async Task<IResult> SetClockAsync(HttpRequest request, ConformanceClock clock, RulePack pack)
    {
        var (body, problem) = await Json.ReadObjectAsync(request);
        if (problem is not null)
        {
            return problem;
        }

        var f = new FieldReader(body!);
        var local = f.String("local", required: false, maxLength: 32);
        var instantText = f.String("instant", required: false, maxLength: 40);
        var frozen = f.Boolean("frozen") ?? true;
        DateTimeOffset? instant = null;
        if (local is not null)
        {
            if (DateTime.TryParseExact(local, "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var l)
                && l.Year is >= 2000 and <= 2100)
            {
                instant = new DateTimeOffset(l, pack.TimeZone.GetUtcOffset(l));
            }
            else
            {
                f.Add("local", "must be yyyy-MM-ddTHH:mm:ss in the rule pack's time zone, years 2000 to 2100 / 本地时间格式无效或超出范围");
            }
        }
        else if (instantText is not null)
        {
            var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
            instant = WireDates.Instant(instantText, "instant", errors);
            foreach (var message in errors.Values.SelectMany(m => m))
            {
                f.Add("instant", message);
            }

            if (instant is null && errors.Count == 0)
            {
                f.Add("instant", "must be an ISO-8601 instant / 时间格式无效");
            }
        }
        else
        {
            f.Add("local", "give local or instant / 须提供 local 或 instant");
        }

        if (!f.Ok)
        {
            return Json.Invalid(f.Errors);
        }

        clock.Set(instant!.Value, frozen);
        return Json.Ok(Describe(clock, pack));
    }

    private static async Task<IResult> AdvanceClockAsync(HttpRequest request, ConformanceClock clock, RulePack pack)
    {
        var (body, problem) = await Json.ReadObjectAsync(request);
        if (problem is not null)
        {
            return problem;
        }

        var f = new FieldReader(body!);
        var seconds = f.Integer("seconds", required: true, 0, 366L * 24 * 3600);

        // Repeated advances must not walk the clock out of the range every date computation supports.
        if (seconds is { } s && !WireDates.InRange(clock.GetUtcNow() + TimeSpan.FromSeconds(s)))
        {
            f.Add("seconds", "is out of range: the clock would pass 2100-12-31 / 超出范围：时钟将超过 2100-12-31");
        }

        if (!f.Ok)
        {
            return Json.Invalid(f.Errors);
        }

        clock.Advance(TimeSpan.FromSeconds(seconds!.Value));
        return Json.Ok(Describe(clock, pack));
    }

    private static async Task<IResult> CreateSubjectAsync(HttpRequest request, ISubjectService subjects, ISubjectStore store, RulePack pack, TimeProvider time,
        CancellationToken ct)
    {
        var (body, problem) = await Json.ReadObjectAsync(request, optional: true);
        if (problem is not null)
        {
            return problem;
        }

        var f = new FieldReader(body!);
        var age = f.Integer("age", required: false, 0, 17);
        var today = DateOnly.FromDateTime(pack.ToLocal(time.GetUtcNow()));
        var birthDate = f.Date("birthDate", WireDates.MinBirthDate, today);
        var teenMode = f.Boolean("teenMode") ?? true;
        var realName = f.String("realName", required: false, maxLength: 16);
        if (realName is not null and not ("verified" or "unverified"))
        {
            f.Add("realName", "must be verified or unverified / 须为 verified 或 unverified");
        }

        if (!f.Ok)
        {
            return Json.Invalid(f.Errors);
        }

        if (birthDate is null && age is not null)
        {
            // Half a year past the birthday, so the age holds for the next 180 days of the clock.
            birthDate = today.AddYears(-(int)age.Value).AddDays(-180);
        }

        var id = "synthetic-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        await subjects.RegisterAsync(new SubjectRegistration(id, birthDate, null, birthDate is null ? AgeSource.Unknown : AgeSource.GuardianDeclared, teenMode), ct);

        // A synthetic user of known age stands for a real-name verified one (games serve no one else) unless the check asks otherwise.
        if (birthDate is not null && realName != "unverified")
        {
            await store.SetRealNameAsync(id, RealNameStatus.Verified, "conformance-" + id, birthDate, ct);
        }

        var status = await subjects.GetStatusAsync(id, ct);
        return Json.Ok(new
        {
            subjectId = id,
            birthDate = birthDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            band = status!.Rules.Band.Id,
            teenMode,
            realName = WireNames.Of(status.Subject.RealName),
        }, StatusCodes.Status201Created);
    }

    private static async Task<IResult> CreateContentAsync(HttpRequest request, IContentCatalog catalog, CancellationToken ct)
    {
        var (body, problem) = await Json.ReadObjectAsync(request);
        if (problem is not null)
        {
            return problem;
        }

        var f = new FieldReader(body!);
        var id = f.String("id", required: false, maxLength: 128) ?? "synthetic-item-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var title = f.String("title", required: false, maxLength: 200) ?? "合成测试内容 / synthetic item";
        var category = f.String("category", required: false, maxLength: 32) ?? "education";
        var bands = f.Bands("bands") ?? [];
        var mayAffect = f.Boolean("mayAffectMinors") ?? false;
        var labels = TeenModeContentEndpoints.Labels(body!, f);
        var formatText = f.String("format", required: false, maxLength: 16) ?? "video";
        if (!ContentFile.TryParseFormat(formatText, out var format))
        {
            f.Add("format", "must be video, audio or article / 格式无效");
        }

        var popularity = f.Integer("popularity", required: false, 0, long.MaxValue) ?? 0;
        if (!ContentCategories.IsKnown(category))
        {
            f.Add("category", $"must be one of {string.Join(", ", ContentCategories.All)} / 分类无效");
        }

        if (!f.Ok)
        {
            return Json.Invalid(f.Errors);
        }

        var item = new ContentItem(id, title, category, bands, mayAffect, labels, format, popularity);
        await catalog.UpsertAsync([item], ct);
        return Json.Ok(new { itemId = id, item = Dto.Of(item) }, StatusCodes.Status201Created);
    }

    private sealed class RefuseInProductionStartupFilter(IHostEnvironment environment, IOptions<TeenModeConformanceDriverOptions> options) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next)
        {
            EnsureAllowed(environment, options.Value);
            return next;
        }
    }
}
