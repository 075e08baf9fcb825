using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using TeenMode;
using TeenMode.AspNetCore;
using TeenMode.AspNetCore.Conformance;
using TeenMode.ContentPool;
using TeenMode.PersonalInfo;

namespace ShortVideoApp;

/// <summary>Builds and starts the sample short-video app on the TeenMode SDK with SQLite.</summary>
public static partial class ShortVideoAppHost
{
    /// <summary>The shortest staff key the sample accepts, in UTF-8 bytes.</summary>
    public const int MinStaffKeyBytes = 32;

    private const int MinPoolThreads = 64;

    // Staff-key refusals carry a stable reason code like every other problem.
    private static Dictionary<string, object?> KeyRequired() => new(StringComparer.Ordinal) { ["reasonCode"] = "staff-key-required" };

    /// <summary>Builds the app without starting it.</summary>
    /// <exception cref="ArgumentException">An unknown mutant name.</exception>
    public static WebApplication Build(ShortVideoAppOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ReviewerKey is { } reviewer && System.Text.Encoding.UTF8.GetByteCount(reviewer) < MinStaffKeyBytes)
        {
            // An empty or one-character key opened report review, refunds and staff access to minors' data (issue 13).
            throw new ArgumentException(
                $"The reviewer key must be at least {MinStaffKeyBytes} bytes / 审核人密钥至少 {MinStaffKeyBytes} 字节.", nameof(options));
        }

        // SQLite waits for a lock on the calling thread: with a locked file every request holds a pool thread for the
        // busy timeout, and a pool sized to the cores would queue even the answers that need no store behind them.
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, MinPoolThreads), io);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            EnvironmentName = options.EnvironmentName,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseUrls(options.Urls);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

        var teenMode = builder.Services.AddTeenMode(o =>
        {
            if (options.RulePackPath is { } rules)
            {
                o.RulePackPath = rules;
            }
        }).UseSqlite(options.DatabasePath);
        if (options.ConformanceKey is { } key)
        {
            teenMode.AddTeenModeConformanceDriver(o =>
            {
                o.Enabled = true;
                o.SharedSecret = key;
            });
        }

        ConfigureReporting(teenMode, options);
        ConfigurePersonalInfo(teenMode, options);

        if (options.Mutant is { } mutant)
        {
            Mutants.Apply(builder.Services, mutant);
        }

        options.ConfigureBuilder?.Invoke(builder);

        // Last, so every provider (the host's and any added above) writes redacted lines.
        builder.Services.AddTeenModeLogRedaction();
        var app = builder.Build();
        app.MapTeenMode();
        if (options.ConformanceKey is not null)
        {
            app.MapTeenModeConformanceDriver();
        }

        if (options.ReviewerKey is { } reviewerKey)
        {
            MapReview(app, reviewerKey);
            MapRefundReview(app, reviewerKey);
        }

        if (options.ConformanceKey is { } adminKey)
        {
            // The content admin API (import, export, rating) changes what minors see. A real app puts it behind its
            // reviewer login; the sample, which has none, opens it only with the conformance key.
            app.MapTeenModeContentAdmin().AddEndpointFilter(async (context, next) =>
                System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
                    System.Text.Encoding.UTF8.GetBytes(context.HttpContext.Request.Headers[ConformanceDriverExtensions.KeyHeader].ToString()),
                    System.Text.Encoding.UTF8.GetBytes(adminKey))
                    ? await next(context)
                    : Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "需要审核人权限 / Reviewer access required", extensions: KeyRequired()));
        }

        MapPiAdmin(app, options);
        AppEndpoints.Map(app);
        return app;
    }

    /// <summary>Builds the app, loads the sample content pool and starts listening.</summary>
    public static async Task<RunningApp> StartAsync(ShortVideoAppOptions options, CancellationToken cancellationToken = default)
    {
        var app = Build(options);
        try
        {
            await app.Services.GetRequiredService<IContentCatalog>().UpsertAsync(ContentSeed.LoadSample(), cancellationToken);
            await app.StartAsync(cancellationToken);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new RunningApp(app, new Uri(address.EndsWith('/') ? address : address + "/"));
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }
}

/// <summary>A started sample app; dispose to stop it.</summary>
public sealed class RunningApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    internal RunningApp(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    /// <summary>Where the app listens, ending with a slash.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The app's services, for tests.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Completes when the host is told to stop (SIGTERM, SIGINT, SIGQUIT or <c>StopApplication</c>) and has stopped.</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
