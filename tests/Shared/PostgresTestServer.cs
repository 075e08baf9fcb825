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
            // Kept for the whole run: stopped and removed when this process exits.
            return PostgresCluster.Start(keepUntilExit: true).ConnectionString;
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
