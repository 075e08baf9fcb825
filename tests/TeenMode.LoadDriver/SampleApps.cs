using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Npgsql;

namespace TeenMode.LoadDriver;

/// <summary>The app or its store could not be started; the CLI exits 3.</summary>
internal sealed class StartException(string message) : Exception(message);

/// <summary>The source tree (.ci/postgres.sh, the benchmarks project).</summary>
internal static class RepoPaths
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "TeenMode.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        // With TEENMODE_ARTIFACTS the build output lives outside the source tree: fall back to where the project was built from.
        return typeof(RepoPaths).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
                .Cast<System.Reflection.AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == "RepoRoot")?.Value
            ?? Environment.CurrentDirectory;
    }
}

/// <summary>One sample-app process (<c>dotnet ShortVideoApp.dll</c>) on a free loopback port, with the conformance driver on.</summary>
internal sealed class AppInstance : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log;

    private AppInstance(Process process, StringBuilder log, Uri baseAddress)
    {
        _process = process;
        _log = log;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>Starts the app and waits for its "listening on" line.</summary>
    /// <exception cref="StartException">The app is missing, exited, or did not listen within a minute.</exception>
    public static async Task<AppInstance> StartAsync(string store, string connection, string conformanceKey, string personalDataKey)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "ShortVideoApp.dll");
        if (!File.Exists(dll))
        {
            throw new StartException($"找不到示例应用 / {dll} is missing: build first (dotnet build TeenMode.sln -c Release)");
        }

        var start = new ProcessStartInfo("dotnet");
        foreach (var arg in new[] { dll, "--store", store, "--connection", connection, "--urls", "http://127.0.0.1:0" })
        {
            start.ArgumentList.Add(arg);
        }

        // The conformance driver (virtual clock) runs only outside Production and with a key.
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["TEENMODE_CONFORMANCE_KEY"] = conformanceKey;
        start.Environment["TEENMODE_PI_KEY"] = personalDataKey;
        var (process, log, address) = await SampleAppLaunch.StartAsync(start, TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        if (address is not null)
        {
            return new AppInstance(process, log, address);
        }

        var exited = process.HasExited;
        SampleAppLaunch.Kill(process);
        process.Dispose();
        throw new StartException(exited
            ? $"示例应用启动失败 / the sample app exited before listening:\n{SampleAppLaunch.Text(log)}"
            : "示例应用一分钟内未监听 / the sample app did not listen within a minute");
    }

    public async ValueTask DisposeAsync()
    {
        SampleAppLaunch.Kill(_process);
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        _process.Dispose();
    }
}

/// <summary>
/// The PostgreSQL server the apps share: <c>--postgres</c>, else <c>TEENMODE_TEST_POSTGRES</c>, else a throwaway one from
/// <c>.ci/postgres.sh</c> (installed when missing), stopped and removed on dispose. Each store configuration gets a fresh database.
/// </summary>
internal sealed class PostgresServer : IAsyncDisposable
{
    public const string EnvironmentVariable = "TEENMODE_TEST_POSTGRES";

    private readonly string? _startedIn;

    private PostgresServer(string connectionString, string? startedIn)
    {
        ConnectionString = connectionString;
        _startedIn = startedIn;
    }

    public string ConnectionString { get; }

    /// <summary>Where the connection came from, for the report (never the password).</summary>
    public string Source => _startedIn is null ? "given (--postgres or TEENMODE_TEST_POSTGRES)" : "a throwaway cluster from .ci/postgres.sh";

    /// <exception cref="UsageException">The given server is not on loopback.</exception>
    /// <exception cref="StartException">No server given and .ci/postgres.sh could not start one.</exception>
    public static async Task<PostgresServer> ObtainAsync(string? given, TextWriter log)
    {
        given = string.IsNullOrWhiteSpace(given) ? Environment.GetEnvironmentVariable(EnvironmentVariable) : given;
        if (!string.IsNullOrWhiteSpace(given))
        {
            EnsureLoopback(given);
            return new PostgresServer(given, null);
        }

        await log.WriteLineAsync("starting a throwaway PostgreSQL server (.ci/postgres.sh) …").ConfigureAwait(false);
        var (code, output, errors) = await BashAsync(
            "source .ci/postgres.sh && teenmode_pg_start && [ -n \"${TEENMODE_PG_DIR:-}\" ] && printf '%s\\n%s\\n' \"$TEENMODE_PG_DIR\" \"$TEENMODE_TEST_POSTGRES\"",
            null).ConfigureAwait(false);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (code != 0 || lines.Length < 2 || !lines[^2].StartsWith('/'))
        {
            throw new StartException($"无法启动 PostgreSQL / .ci/postgres.sh could not start a server (exit {code}); set TEENMODE_TEST_POSTGRES or pass --postgres:\n{errors}");
        }

        return new PostgresServer(lines[^1].Trim(), lines[^2].Trim());
    }

    /// <summary>A fresh, empty database on the server; its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"tm_load_{Guid.NewGuid():N}";
        await using var connection = new NpgsqlConnection(Maintenance);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await create.ExecuteNonQueryAsync().ConfigureAwait(false);
        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ConnectionString;
    }

    public async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        await using var connection = new NpgsqlConnection(Maintenance);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    public async Task<string> VersionAsync()
    {
        await using var connection = new NpgsqlConnection(Maintenance);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var show = new NpgsqlCommand("SHOW server_version", connection);
        var version = (string?)await show.ExecuteScalarAsync().ConfigureAwait(false) ?? "?";
        await using var settings = new NpgsqlCommand("SELECT string_agg(name || '=' || setting, ', ' ORDER BY name) FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'max_connections')", connection);
        return $"{version} ({await settings.ExecuteScalarAsync().ConfigureAwait(false)})";
    }

    public async ValueTask DisposeAsync()
    {
        if (_startedIn is not null)
        {
            await BashAsync("source .ci/postgres.sh && teenmode_pg_stop", _startedIn).ConfigureAwait(false);
        }
    }

    private string Maintenance => new NpgsqlConnectionStringBuilder(ConnectionString) { Database = "postgres", Pooling = false }.ConnectionString;

    private static void EnsureLoopback(string connectionString)
    {
        string host;
        try
        {
            host = new NpgsqlConnectionStringBuilder(connectionString).Host ?? "";
        }
        catch (ArgumentException ex)
        {
            throw new UsageException($"PostgreSQL 连接串无效 / bad PostgreSQL connection string: {ex.Message}");
        }

        // A unix socket folder is on this machine too.
        var local = host.Split(',').All(h => h.StartsWith('/') || string.Equals(h, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(h.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip)));
        if (!local || host.Length == 0)
        {
            throw new UsageException($"拒绝：PostgreSQL 须在本机回环地址 / refused: the PostgreSQL server must be on loopback, not '{host}'");
        }
    }

    private static async Task<(int Code, string Output, string Errors)> BashAsync(string script, string? pgDir)
    {
        var start = new ProcessStartInfo("bash") { WorkingDirectory = RepoPaths.Root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        start.Environment.Remove(EnvironmentVariable);
        if (pgDir is not null)
        {
            start.Environment["TEENMODE_PG_DIR"] = pgDir;
        }
        else
        {
            start.Environment.Remove("TEENMODE_PG_DIR");
        }

        using var process = Process.Start(start) ?? throw new StartException("bash did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5)).ConfigureAwait(false);
        return (process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }
}

/// <summary>The apps of one store configuration, started fresh (a new SQLite file or a new database), removed on dispose.</summary>
internal sealed class Deployment : IAsyncDisposable
{
    private readonly List<AppInstance> _instances = [];
    private readonly string _folder;
    private readonly PostgresServer? _postgres;
    private string? _database;

    private Deployment(string folder, PostgresServer? postgres, string key)
    {
        _folder = folder;
        _postgres = postgres;
        Key = key;
    }

    public string Key { get; }

    public IReadOnlyList<Uri> Targets => _instances.Select(i => i.BaseAddress).ToArray();

    /// <exception cref="StartException">A database or an app could not be started.</exception>
    public static async Task<Deployment> StartAsync(StoreConfig config, PostgresServer? postgres)
    {
        ArgumentNullException.ThrowIfNull(config);
        var key = "load-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
        var deployment = new Deployment(Directory.CreateTempSubdirectory("teenmode-load-").FullName, postgres, key);
        try
        {
            string connection;
            if (config.Store == StoreConfig.Postgres)
            {
                connection = deployment._database = await (postgres ?? throw new StartException("no PostgreSQL server")).CreateDatabaseAsync().ConfigureAwait(false);
            }
            else
            {
                connection = $"Data Source={Path.Combine(deployment._folder, "load.db")}";
            }

            // Every instance seals personal data with the same key, as instances behind one load balancer must.
            var piKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

            // One after another: the first applies the schema before the next opens the database.
            for (var i = 0; i < config.Instances; i++)
            {
                deployment._instances.Add(await AppInstance.StartAsync(config.Store, connection, key, piKey).ConfigureAwait(false));
            }

            return deployment;
        }
        catch (Exception ex) when (ex is NpgsqlException or IOException)
        {
            await deployment.DisposeAsync().ConfigureAwait(false);
            throw new StartException($"无法准备存储 / cannot prepare the {config.Label} store: {ex.Message}");
        }
        catch
        {
            await deployment.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            await instance.DisposeAsync().ConfigureAwait(false);
        }

        if (_database is not null && _postgres is not null)
        {
            try
            {
                await _postgres.DropDatabaseAsync(_database).ConfigureAwait(false);
            }
            catch (NpgsqlException)
            {
                // The server is thrown away anyway, or the operator drops it.
            }
        }

        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    public override string ToString() => string.Join(", ", Targets.Select(t => t.ToString()));
}
