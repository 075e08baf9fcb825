using Npgsql;
using TeenMode.PersonalInfo;
using TeenMode.Postgres;
using TeenMode.TestSupport;

namespace TeenMode.Tests.Postgres;

/// <summary>
/// A fresh database on the tests' real PostgreSQL server (<see cref="PostgresTestServer"/>: never a mock, never skipped),
/// and the app instances opened on it; disposing closes the instances and drops the database.
/// </summary>
internal sealed class PostgresStoreDatabase : IAsyncDisposable
{
    private readonly PostgresTestDatabase _database;
    private readonly List<PostgresDatabase> _opened = [];

    private PostgresStoreDatabase(PostgresTestDatabase database)
    {
        _database = database;

        // A bounded pool per instance, as a real app would set: 200 parallel callers queue instead of opening 200 connections.
        ConnectionString = new NpgsqlConnectionStringBuilder(database.ConnectionString) { MaxPoolSize = 20 }.ConnectionString;
    }

    public string Name => _database.Name;

    public string ConnectionString { get; }

    public static async Task<PostgresStoreDatabase> CreateAsync() => new(await PostgresTestServer.CreateDatabaseAsync("store"));

    /// <summary>A new <see cref="PostgresDatabase"/> (its own pool: one app instance) on this database.</summary>
    public PostgresDatabase Open(Action<PostgresTeenModeStoreOptions>? configure = null)
    {
        var options = new PostgresTeenModeStoreOptions { ConnectionString = ConnectionString };
        configure?.Invoke(options);
        var database = new PostgresDatabase(options);
        _opened.Add(database);
        return database;
    }

    /// <summary>Every store of one new app instance.</summary>
    public IReadOnlyList<object> OpenStores(PersonalDataProtector? protector = null) => PostgresTeenModeStores.CreateAll(Open(), protector);

    public async ValueTask DisposeAsync()
    {
        foreach (var database in _opened)
        {
            await database.DisposeAsync();
        }

        await _database.DisposeAsync();
    }
}
