using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Npgsql;

namespace TeenMode.TestSupport;

/// <summary>
/// A throwaway PostgreSQL cluster of this process (initdb in a temp folder, a free loopback port, as <c>.ci/postgres.sh</c>
/// does). <see cref="PostgresTestServer"/> keeps one for the whole run; a fault test starts a private one with
/// <see cref="StartPrivate"/>, so it can <see cref="Stop"/> and <see cref="Start()"/> it (an outage) without touching the
/// server other tests share. The cluster is stopped and its folder removed on dispose, at process exit, and by a watchdog
/// once this process is gone (a testhost killed outright runs no exit handler).
/// </summary>
/// <remarks>Compiled into each test project beside <c>PostgresTestServer.cs</c>.</remarks>
public sealed class PostgresCluster : IDisposable
{
    private const string Owner = "postgres";

    // Below Linux's ephemeral range (32768+), so an outgoing connection cannot take the port while the cluster is stopped.
    private const int LowestPort = 20000;
    private const int PortSpan = 12000;

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(90);

    private readonly string _bin;
    private readonly string _folder;
    private readonly bool _asRoot;
    private readonly string _options;
    private readonly Lock _lock = new();
    private Process? _watchdog;
    private EventHandler? _atExit;
    private bool _disposed;

    private PostgresCluster(string bin, string folder, bool asRoot, int port, string password)
    {
        _bin = bin;
        _folder = folder;
        _asRoot = asRoot;
        Port = port;

        // No fsync: the cluster is thrown away, and the tests run faster.
        _options = $"-h 127.0.0.1 -p {port.ToString(CultureInfo.InvariantCulture)} -k '{Path.Combine(folder, "sock")}' "
            + "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200";
        ConnectionString = $"Host=127.0.0.1;Port={port.ToString(CultureInfo.InvariantCulture)};Username=postgres;Password={password};Database=teenmode_test";
    }

    /// <summary>The loopback port; the same after every <see cref="Start()"/>, so connection strings stay valid.</summary>
    public int Port { get; }

    /// <summary>Connection string of the cluster's database <c>teenmode_test</c> (user <c>postgres</c>, may create databases).</summary>
    public string ConnectionString { get; }

    /// <summary>True between a successful start and the next stop.</summary>
    public bool IsRunning { get; private set; }

    /// <summary>The server's log so far (for a failing test's message).</summary>
    public string ServerLog
    {
        get
        {
            var path = Path.Combine(_folder, "server.log");
            try
            {
                return File.Exists(path) ? File.ReadAllText(path) : "";
            }
            catch (IOException)
            {
                return "";
            }
        }
    }

    /// <summary>A running private cluster with an empty <c>teenmode_test</c> database; dispose it to stop and remove it.</summary>
    /// <exception cref="InvalidOperationException">No server binaries, or initdb or pg_ctl failed (the message says why).</exception>
    public static PostgresCluster StartPrivate() => Start(keepUntilExit: false);

    /// <summary>
    /// Sends SIGINT (<c>pg_ctl stop -m fast</c>): clients are disconnected, the server shuts down cleanly and the port
    /// refuses connections until <see cref="Start()"/>.
    /// </summary>
    public void Stop()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            Run(Path.Combine(_bin, "pg_ctl"), ["-D", Data, "-m", "fast", "-w", "-t", "60", "stop"]);
            IsRunning = false;
        }
    }

    /// <summary>Starts the stopped cluster again on the same port and waits until it accepts connections.</summary>
    /// <exception cref="InvalidOperationException">pg_ctl start failed (e.g. the port was taken meanwhile); the server log is in the message.</exception>
    public void Start()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var (code, output) = TryRun(Path.Combine(_bin, "pg_ctl"), ["-D", Data, "-l", LogPath, "-w", "-t", "60", "start", "-o", _options]);
            if (code != 0)
            {
                throw new InvalidOperationException($"pg_ctl start on port {Port} failed (exit {code}):\n{output}\n{ServerLog}");
            }

            IsRunning = true;
        }
    }

    /// <summary>Stops the server at once (<c>-m immediate</c>) and removes its folder.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (_atExit is not null)
            {
                AppDomain.CurrentDomain.ProcessExit -= _atExit;
            }

            StopAndRemove(_bin, _folder, _asRoot);
            IsRunning = false;
            try
            {
                // Ours (started in Watch); nothing is left for it to clean.
                if (_watchdog is { HasExited: false })
                {
                    _watchdog.Kill();
                }
            }
            catch (InvalidOperationException)
            {
                // Exited meanwhile.
            }

            _watchdog?.Dispose();
        }
    }

    /// <summary>initdb, pg_ctl start on a free port, CREATE DATABASE teenmode_test; cleaned up as the class says.</summary>
    internal static PostgresCluster Start(bool keepUntilExit)
    {
        var bin = FindBinaries();

        // PostgreSQL refuses to run as root: then the cluster belongs to the postgres OS user, in a folder it can reach.
        var asRoot = Environment.UserName == "root";
        var folder = asRoot
            ? Directory.CreateDirectory(Path.Combine("/tmp", "teenmode-pg-" + Guid.NewGuid().ToString("N")[..12])).FullName
            : Directory.CreateTempSubdirectory("teenmode-pg-").FullName;
        PostgresCluster? cluster = null;
        try
        {
            var data = Path.Combine(folder, "data");
            var sockets = Path.Combine(folder, "sock");
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
                cluster = new PostgresCluster(bin, folder, asRoot, FreePort(), password);
                var (code, output) = cluster.TryRun(Path.Combine(bin, "pg_ctl"), ["-D", data, "-l", cluster.LogPath, "-w", "-t", "60", "start", "-o", cluster._options]);
                if (code == 0)
                {
                    cluster.IsRunning = true;
                    cluster.Watch(keepUntilExit);
                    CreateDatabase(cluster.ConnectionString);
                    return cluster;
                }

                var log = cluster.ServerLog;

                // Another process took the port between choosing and binding it: choose again.
                if (attempt < 5 && log.Contains("could not bind", StringComparison.OrdinalIgnoreCase))
                {
                    File.WriteAllText(cluster.LogPath, "");
                    continue;
                }

                throw new InvalidOperationException($"pg_ctl start failed (exit {code}):\n{output}\n{log}");
            }
        }
        catch
        {
            if (cluster is not null)
            {
                cluster.Dispose();
            }
            else
            {
                StopAndRemove(bin, folder, asRoot);
            }

            throw;
        }
    }

    private string Data => Path.Combine(_folder, "data");

    private string LogPath => Path.Combine(_folder, "server.log");

    private void Watch(bool keepUntilExit)
    {
        // The normal way out for the shared cluster, a safety net for a private one a test forgot to dispose.
        _atExit = (_, _) => StopAndRemove(_bin, _folder, _asRoot);
        AppDomain.CurrentDomain.ProcessExit += _atExit;
        if (keepUntilExit)
        {
            // Never disposed: the handler and the watchdog own the cleanup.
            _atExit = null;
        }

        // In its own session, so a Ctrl+C to the test run does not take it down with the testhost.
        const string Script = """
            exec </dev/null >/dev/null 2>&1
            while kill -0 "$1" 2>/dev/null; do sleep 0.5; done
            if [ -f "$3/data/postmaster.pid" ]; then
              if [ "$4" = root ]; then runuser -u postgres -- "$2/pg_ctl" -D "$3/data" -m immediate -w stop; else "$2/pg_ctl" -D "$3/data" -m immediate -w stop; fi
            fi
            rm -rf "$3"
            """;
        var start = new ProcessStartInfo("setsid") { UseShellExecute = false, WorkingDirectory = _folder };
        foreach (var argument in (string[])["sh", "-c", Script, "teenmode-pg-watchdog", Environment.ProcessId.ToString(CultureInfo.InvariantCulture), _bin, _folder, _asRoot ? "root" : "self"])
        {
            start.ArgumentList.Add(argument);
        }

        _watchdog = Process.Start(start) ?? throw new InvalidOperationException("could not start the watchdog (setsid sh).");
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
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var port = LowestPort + RandomNumberGenerator.GetInt32(PortSpan);
            try
            {
                using var probe = new TcpListener(IPAddress.Loopback, port);
                probe.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken: try another.
            }
        }

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void CreateDatabase(string connectionString)
    {
        using var connection = new NpgsqlConnection(PostgresTestServer.Maintenance(connectionString));
        connection.Open();
        using var create = new NpgsqlCommand("CREATE DATABASE teenmode_test", connection);
        create.ExecuteNonQuery();
    }

    private static void StopAndRemove(string bin, string folder, bool asRoot)
    {
        if (File.Exists(Path.Combine(folder, "data", "postmaster.pid")))
        {
            TryRun(Path.Combine(bin, "pg_ctl"), ["-D", Path.Combine(folder, "data"), "-m", "immediate", "-w", "stop"], folder, asRoot);
        }

        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: gone already, or the watchdog removes it once this process is gone.
        }
    }

    private void Run(string file, string[] arguments)
    {
        var (code, output) = TryRun(file, arguments);
        if (code != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} failed (exit {code}):\n{output}\n{ServerLog}");
        }
    }

    private (int Code, string Output) TryRun(string file, string[] arguments) => TryRun(file, arguments, _folder, _asRoot);

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
}
