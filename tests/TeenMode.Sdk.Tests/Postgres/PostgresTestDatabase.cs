using Npgsql;
using TeenMode.PersonalInfo;
using TeenMode.Postgres;

namespace TeenMode.Tests.Postgres;

/// <summary>
/// A fresh, empty database on the test server named by <c>TEENMODE_TEST_POSTGRES</c> (an Npgsql connection string with
/// the right to create databases), dropped on dispose. Without the variable the test fails: these tests never skip.
/// </summary>
internal sealed class PostgresTestDatabase : IAsyncDisposable
{
    public const string Variable = "TEENMODE_TEST_POSTGRES";

    private readonly List<PostgresDatabase> _opened = [];

    private PostgresTestDatabase(string name, string connectionString)
    {
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{Variable} is not set: start a throwaway server (.ci/postgres.sh) and export its connection string.");

    public static async Task<PostgresTestDatabase> CreateAsync()
    {
        var name = "tm_" + Guid.NewGuid().ToString("N");
        await using (var admin = new NpgsqlConnection(ServerConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand("CREATE DATABASE " + name + ";", admin);
            await create.ExecuteNonQueryAsync();
        }

        return new PostgresTestDatabase(name, new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = name }.ConnectionString);
    }

    /// <summary>A new <see cref="PostgresDatabase"/> (its own pool: one app instance) on this database, disposed with it.</summary>
    public PostgresDatabase Open(Action<PostgresTeenModeStoreOptions>? configure = null)
    {
        var options = new PostgresTeenModeStoreOptions { ConnectionString = ConnectionString };
        configure?.Invoke(options);
        var database = new PostgresDatabase(options);
        _opened.Add(database);
        return database;
    }

    /// <summary>Every store of one app instance.</summary>
    public IReadOnlyList<object> OpenStores(PersonalDataProtector? protector = null) => PostgresTeenModeStores.CreateAll(Open(), protector);

    public async ValueTask DisposeAsync()
    {
        foreach (var database in _opened)
        {
            await database.DisposeAsync();
        }

        await using var admin = new NpgsqlConnection(ServerConnectionString);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand("DROP DATABASE IF EXISTS " + Name + " WITH (FORCE);", admin);
        await drop.ExecuteNonQueryAsync();
    }
}
