using Npgsql;
using TeenMode.TestSupport;

namespace TeenMode.Tests.Postgres;

/// <summary>The PostgreSQL tests get a real server (never a mock), and a database of their own.</summary>
public sealed class PostgresTestServerTests(PostgresDatabaseFixture fixture) : IClassFixture<PostgresDatabaseFixture>
{
    [Fact]
    public async Task Server_IsRealPostgreSql_AndReadsBackWhatWasWritten()
    {
        await using var connection = await fixture.Database.OpenConnectionAsync();

        await using (var version = new NpgsqlCommand("SELECT version(), current_database()", connection))
        await using (var reader = await version.ExecuteReaderAsync())
        {
            (await reader.ReadAsync()).Should().BeTrue();
            reader.GetString(0).Should().StartWith("PostgreSQL");
            reader.GetString(1).Should().Be(fixture.Database.Name, "the class has a database of its own");
        }

        await using (var create = new NpgsqlCommand("CREATE TABLE kids (id bigint PRIMARY KEY, name text NOT NULL, born date NOT NULL)", connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        await using (var insert = new NpgsqlCommand("INSERT INTO kids (id, name, born) VALUES (@id, @name, @born)", connection))
        {
            insert.Parameters.AddWithValue("id", 7L);
            insert.Parameters.AddWithValue("name", "小明");
            insert.Parameters.AddWithValue("born", new DateOnly(2014, 3, 4));
            (await insert.ExecuteNonQueryAsync()).Should().Be(1);
        }

        await using var select = new NpgsqlCommand("SELECT name, born FROM kids WHERE id = @id", connection);
        select.Parameters.AddWithValue("id", 7L);
        await using var row = await select.ExecuteReaderAsync();
        (await row.ReadAsync()).Should().BeTrue();
        row.GetString(0).Should().Be("小明", "the database is UTF-8");
        row.GetFieldValue<DateOnly>(1).Should().Be(new DateOnly(2014, 3, 4));
    }

    [Fact]
    public async Task CreateDatabase_IsFreshAndIsolated_AndDisposeDropsIt()
    {
        var first = await PostgresTestServer.CreateDatabaseAsync("first");
        var second = await PostgresTestServer.CreateDatabaseAsync("second");
        first.Name.Should().NotBe(second.Name);

        await using (var connection = await first.OpenConnectionAsync())
        await using (var create = new NpgsqlCommand("CREATE TABLE only_here (id int)", connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        // Left open on purpose: dropping must not wait for the code under test to close its connections.
        var stillOpen = await second.OpenConnectionAsync();
        await using (var tables = new NpgsqlCommand("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'", stillOpen))
        {
            ((long)(await tables.ExecuteScalarAsync())!).Should().Be(0, "a fresh database is empty, whatever another one holds");
        }

        await first.DisposeAsync();
        await second.DisposeAsync();
        await stillOpen.DisposeAsync();

        await using var shared = new NpgsqlConnection(PostgresTestServer.ConnectionString);
        await shared.OpenAsync();
        await using var exists = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = ANY(@names)", shared);
        exists.Parameters.AddWithValue("names", new[] { first.Name, second.Name });
        ((long)(await exists.ExecuteScalarAsync())!).Should().Be(0, "disposing drops the database");
    }
}
