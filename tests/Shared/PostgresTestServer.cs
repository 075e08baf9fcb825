using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Npgsql;

namespace TeenMode.TestSupport;

/// <summary>
/// A real PostgreSQL server for the tests, never a mock: the server named by <c>TEENMODE_TEST_POSTGRES</c>
/// (<c>.ci/test.sh</c> provisions one and sets it), otherwise a throwaway cluster this process starts once
/// (initdb in a temp folder, a free loopback port) and stops and removes when it exits. When neither is
/// possible every use throws, with what to do: the PostgreSQL tests fail, they are never skipped.
/// </summary>
/// <remarks>
/// Compiled into each test project (<c>&lt;Compile Include="..\Shared\PostgresTestServer.cs" /&gt;</c>).
/// Isolate a test class with <see cref="PostgresDatabaseFixture"/>, or a test with <see cref="CreateDatabaseAsync"/>.
/// </remarks>
public static class PostgresTestServer
{
    public const string EnvironmentVariable = "TEENMODE_TEST_POSTGRES";

    // Provisioned once per process; a failure is remembered, so every test fails fast with the same message.
    private static readonly Lazy<string> Server = new(Provision, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Connection string of the server's shared database, <c>teenmode_test</c>.</summary>
    public static string ConnectionString => Server.Value;

    /// <summary>A fresh, uniquely named, empty database; dropping it is the caller's (dispose it).</summary>
    /// <param name="hint">Readable part of the name (letters, digits, underscores kept), to spot it in the server's log.</param>
    public static async Task<PostgresTestDatabase> CreateDatabaseAsync(string hint = "test", CancellationToken cancellationToken = default)
    {
        var name = DatabaseName(hint);
        var admin = Maintenance(ConnectionString);
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync(cancellationToken);
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        return new PostgresTestDatabase(name, new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ConnectionString, admin);
    }

    /// <summary>The same server's <c>postgres</c> database, where databases are created and dropped.</summary>
    internal static string Maintenance(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false }.ConnectionString;

    // PostgreSQL folds unquoted names to lower case and cuts them at 63 bytes; a GUID keeps parallel classes apart.
    private static string DatabaseName(string hint)
    {
        var readable = new string(hint.ToLowerInvariant().Where(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_').Take(24).ToArray());
        return $"tm_{readable}_{Guid.NewGuid():N}";
    }

    private static string Provision()
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        try
        {
            return ThrowawayCluster.Start();
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception or NpgsqlException)
        {
            throw new InvalidOperationException(
                $"No PostgreSQL server for the tests: {EnvironmentVariable} is not set, and a throwaway server could not be started. "
                + "Run the tests through `bash .ci/test.sh` (it installs and starts PostgreSQL), install the server (`apt-get install postgresql`), "
                + $"or set {EnvironmentVariable} to an Npgsql connection string (Host=...;Port=...;Username=...;Password=...;Database=...) of a user allowed to create databases.\n"
                + e.Message,
                e);
        }
    }

    /// <summary>initdb, pg_ctl start and, at process exit, pg_ctl stop and removal of the folder; as .ci/postgres.sh does.</summary>
    private static class ThrowawayCluster
    {
        private const string Owner = "postgres";
        private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(90);

        public static string Start()
        {
            var bin = FindBinaries();
            // PostgreSQL refuses to run as root: then the cluster belongs to the postgres OS user, in a folder it can reach.
            var asRoot = Environment.UserName == "root";
            var folder = asRoot
                ? Directory.CreateDirectory(Path.Combine("/tmp", "teenmode-pg-" + Guid.NewGuid().ToString("N")[..12])).FullName
                : Directory.CreateTempSubdirectory("teenmode-pg-").FullName;
            var started = false;
            try
            {
                var data = Path.Combine(folder, "data");
                var sockets = Path.Combine(folder, "sock");
                var serverLog = Path.Combine(folder, "server.log");
                var passwordFile = Path.Combine(folder, "pwfile");
                var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
                Directory.CreateDirectory(sockets);
                File.WriteAllText(passwordFile, password + "\n");
                if (asRoot)
                {
                    Run("chown", ["-R", Owner + ":", folder], folder, asOwner: false);
                }

                Run("chmod", ["700", folder, sockets], folder, asOwner: false);
                Run(Path.Combine(bin, "initdb"),
                    ["-D", data, "-U", "postgres", "--pwfile=" + passwordFile, "--auth-host=scram-sha-256", "--auth-local=trust", "-E", "UTF8", "--locale=C", "--no-sync"],
                    folder, asRoot);
                File.Delete(passwordFile);

                for (var attempt = 1; ; attempt++)
                {
                    var port = FreePort().ToString(CultureInfo.InvariantCulture);
                    // No fsync: the cluster is thrown away, and the tests run faster.
                    var options = $"-h 127.0.0.1 -p {port} -k '{sockets}' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200";
                    var (code, output) = TryRun(Path.Combine(bin, "pg_ctl"), ["-D", data, "-l", serverLog, "-w", "-t", "60", "start", "-o", options], folder, asRoot);
                    if (code == 0)
                    {
                        started = true;
                        StopAtExit(bin, folder, asRoot);
                        var connectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Password={password};Database=teenmode_test";
                        CreateSharedDatabase(connectionString);
                        return connectionString;
                    }

                    var log = File.Exists(serverLog) ? File.ReadAllText(serverLog) : "";
                    // Another process took the port between choosing and binding it: choose again.
                    if (attempt < 5 && log.Contains("could not bind", StringComparison.OrdinalIgnoreCase))
                    {
                        File.WriteAllText(serverLog, "");
                        continue;
                    }

                    throw new InvalidOperationException($"pg_ctl start failed (exit {code}):\n{output}\n{log}");
                }
            }
            catch when (!started)
            {
                Stop(bin, folder, asRoot);
                throw;
            }
        }

        private static string FindBinaries()
        {
            // Debian's layout first (highest version), then whatever PATH offers (other distributions, Homebrew).
            var debian = Directory.Exists("/usr/lib/postgresql")
                ? Directory.GetDirectories("/usr/lib/postgresql")
                    .Select(version => (Version: int.TryParse(Path.GetFileName(version), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0, Bin: Path.Combine(version, "bin")))
                    .OrderByDescending(v => v.Version)
                    .Select(v => v.Bin)
                : [];
            var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
            return debian.Concat(path).FirstOrDefault(dir => File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl")))
                ?? throw new InvalidOperationException("no PostgreSQL server binaries (initdb and pg_ctl) under /usr/lib/postgresql/*/bin or on PATH.");
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        private static void CreateSharedDatabase(string connectionString)
        {
            using var connection = new NpgsqlConnection(Maintenance(connectionString));
            connection.Open();
            using var create = new NpgsqlCommand("CREATE DATABASE teenmode_test", connection);
            create.ExecuteNonQuery();
        }

        private static void StopAtExit(string bin, string folder, bool asRoot)
        {
            // The normal way out; a testhost killed outright (Ctrl+C, a crash) never runs it, so a watchdog outside
            // this process does the same once the process is gone.
            AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop(bin, folder, asRoot);
            StartWatchdog(bin, folder, asRoot);
        }

        private static void Stop(string bin, string folder, bool asRoot)
        {
            if (File.Exists(Path.Combine(folder, "data", "postmaster.pid")))
            {
                TryRun(Path.Combine(bin, "pg_ctl"), ["-D", Path.Combine(folder, "data"), "-m", "immediate", "-w", "stop"], folder, asRoot);
            }

            TryDelete(folder);
        }

        private static void StartWatchdog(string bin, string folder, bool asRoot)
        {
            // In its own session, so a Ctrl+C to the test run does not take it down with the testhost.
            const string Script = """
                exec </dev/null >/dev/null 2>&1
                while kill -0 "$1" 2>/dev/null; do sleep 0.5; done
                if [ -f "$3/data/postmaster.pid" ]; then
                  if [ "$4" = root ]; then runuser -u postgres -- "$2/pg_ctl" -D "$3/data" -m immediate -w stop; else "$2/pg_ctl" -D "$3/data" -m immediate -w stop; fi
                fi
                rm -rf "$3"
                """;
            var start = new ProcessStartInfo("setsid") { UseShellExecute = false, WorkingDirectory = folder };
            foreach (var argument in (string[])["sh", "-c", Script, "teenmode-pg-watchdog", Environment.ProcessId.ToString(CultureInfo.InvariantCulture), bin, folder, asRoot ? "root" : "self"])
            {
                start.ArgumentList.Add(argument);
            }

            using var watchdog = Process.Start(start) ?? throw new InvalidOperationException("could not start the watchdog (setsid sh).");
        }

        private static void Run(string file, string[] arguments, string workingDirectory, bool asOwner)
        {
            var (code, output) = TryRun(file, arguments, workingDirectory, asOwner);
            if (code != 0)
            {
                throw new InvalidOperationException($"{Path.GetFileName(file)} failed (exit {code}):\n{output}");
            }
        }

        private static (int Code, string Output) TryRun(string file, string[] arguments, string workingDirectory, bool asOwner)
        {
            var start = new ProcessStartInfo(asOwner ? "runuser" : file)
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                // The owner may not be allowed into the caller's working directory (root's home).
                WorkingDirectory = workingDirectory,
            };
            foreach (var argument in asOwner ? ["-u", Owner, "--", file, .. arguments] : arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}.");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(CommandTimeout))
            {
                process.Kill(entireProcessTree: true);
                return (-1, $"{Path.GetFileName(file)} timed out after {CommandTimeout.TotalSeconds} s");
            }

            return (process.ExitCode, stdout.Result + stderr.Result);
        }

        private static void TryDelete(string folder)
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: gone already, or the watchdog removes it once this process is gone.
            }
        }
    }
}

/// <summary>A fresh database on the test server, dropped (its connections closed) on dispose.</summary>
public sealed class PostgresTestDatabase : IAsyncDisposable
{
    private readonly string _maintenance;

    internal PostgresTestDatabase(string name, string connectionString, string maintenance)
    {
        Name = name;
        ConnectionString = connectionString;
        _maintenance = maintenance;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public async Task<NpgsqlConnection> OpenConnectionAsync(CancellationToken cancellationToken = default)
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        // Pooled idle connections would keep the database in use; FORCE ends any the code under test still holds.
        await using (var pooled = new NpgsqlConnection(ConnectionString))
        {
            NpgsqlConnection.ClearPool(pooled);
        }

        await using var connection = new NpgsqlConnection(_maintenance);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}

/// <summary>
/// One fresh database per test class, so classes are isolated and run in parallel:
/// <c>public sealed class MyTests(PostgresDatabaseFixture db) : IClassFixture&lt;PostgresDatabaseFixture&gt;</c>,
/// then <c>db.ConnectionString</c>.
/// </summary>
public sealed class PostgresDatabaseFixture : IAsyncLifetime
{
    private PostgresTestDatabase? _database;

    public PostgresTestDatabase Database => _database ?? throw new InvalidOperationException("The fixture's database is created in InitializeAsync.");

    public string ConnectionString => Database.ConnectionString;

    public async Task InitializeAsync() => _database = await PostgresTestServer.CreateDatabaseAsync("class");

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
