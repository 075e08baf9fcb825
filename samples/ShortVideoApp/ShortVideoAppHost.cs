using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using TeenMode;
using TeenMode.AspNetCore;
using TeenMode.AgeAssurance;
using TeenMode.AspNetCore.Conformance;
using TeenMode.Testing;
using TeenMode.ContentPool;
using TeenMode.PersonalInfo;

namespace ShortVideoApp;

/// <summary>Builds and starts the sample short-video app on the TeenMode SDK with SQLite or PostgreSQL.</summary>
public static partial class ShortVideoAppHost
{
    /// <summary>The shortest staff key the sample accepts, in UTF-8 bytes.</summary>
    public const int MinStaffKeyBytes = 32;

    private const int MinPoolThreads = 64;

    /// <summary>Builds the app without starting it.</summary>
    /// <exception cref="ArgumentException">An unknown mutant name or store, a missing or invalid connection string, or a reviewer key, conformance key or authority secret that is blank or under 32 bytes.</exception>
    public static WebApplication Build(ShortVideoAppOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        EnsureStrongSecrets(options);
        EnsureStore(options);

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

            if (options.StoreTimeout is { } storeTimeout)
            {
                o.StoreTimeout = storeTimeout;
            }
        });
        ConfigureStore(teenMode, options);
        if (options.ConformanceKey is { } key)
        {
            teenMode.AddTeenModeConformanceDriver(o =>
            {
                o.Enabled = true;
                o.SharedSecret = key;
            });

            // An audit runs against the real-name test environment: the simulator answers its preset identities
            // (NppaRealNameSimulator.Fixtures) as the national system's test cases do, and verifies any other valid one.
            builder.Services.AddTeenModeRealNameVerifier(sp => new NppaRealNameSimulator(sp.GetRequiredService<TimeProvider>()));
        }

        if (options.RealNameCallbackSecret is { } callbackSecret)
        {
            builder.Services.Configure<RealNameVerificationOptions>(o => o.CallbackSecret = callbackSecret);
        }

        ConfigureReporting(teenMode, options);
        ConfigurePersonalInfo(teenMode, options);
        ConfigureStaff(builder, options);
        ConfigureHealth(builder);
        ConfigureTelemetry(builder, options);
        ConfigureOpenApi(builder);

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

        // Staff surfaces require the policies registered in ConfigureStaff; without a key nobody signs in (401).
        MapStaff(app);
        AppEndpoints.Map(app);
        MapHealth(app);
        MapOpenApi(app, options);
        return app;
    }

    /// <summary>Builds the app, loads the sample content pool and starts listening.</summary>
    /// <exception cref="StoreUnreachableException">The store could not be opened or reached (loading the content pool is the first use).</exception>
    public static async Task<RunningApp> StartAsync(ShortVideoAppOptions options, CancellationToken cancellationToken = default)
    {
        WebApplication app;
        try
        {
            app = Build(options);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The sealing-key file beside the SQLite database could not be read or written: the database folder is unusable.
            throw Unreachable(options, ex);
        }

        try
        {
            try
            {
                await app.Services.GetRequiredService<IContentCatalog>().UpsertAsync(ContentSeed.LoadSample(), cancellationToken);
            }
            catch (Exception ex) when (ex is System.Data.Common.DbException or TimeoutException or IOException or UnauthorizedAccessException)
            {
                throw Unreachable(options, ex);
            }

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

    // The driver's message names host, port, file or user, never the password (DescribeStore drops it from the connection string).
    private static StoreUnreachableException Unreachable(ShortVideoAppOptions options, Exception ex) =>
        new($"无法连接存储 / cannot reach the store ({DescribeStore(options)}): {ex.GetType().Name}: {ex.Message}", ex);
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
