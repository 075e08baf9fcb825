using System.Globalization;
using Microsoft.Data.Sqlite;

namespace TeenMode.Sqlite.Internal;

/// <summary>One schema step: <c>Migrations/NNNN_name.sql</c>, embedded in the package.</summary>
internal sealed record SqliteMigration(int Version, string Name, string Sql);

/// <summary>The numbered migrations and the runner that applies the missing ones, recording each in <c>schema_history</c>.</summary>
internal static class SqliteMigrations
{
    private const string ResourcePrefix = "TeenMode.Sqlite.Migrations.";

    /// <summary>Every migration, in version order (1, 2, … with no gap: checked when the list is built).</summary>
    public static IReadOnlyList<SqliteMigration> All { get; } = Load();

    public static async Task ApplyAsync(SqliteConnection connection, string databasePath, TimeProvider time, CancellationToken cancellationToken)
    {
        // WAL lets readers run beside the one writer; the mode is kept in the file (and cannot change inside a transaction).
        await connection.ExecuteAsync(null, "PRAGMA journal_mode = WAL;", _ => { }, cancellationToken).ConfigureAwait(false);

        // Another process may be migrating at the same moment: the write lock serialises us, and we then see its history.
        using var transaction = connection.BeginTransaction(deferred: false);
        var fileVersion = await ScalarAsync(connection, transaction, "PRAGMA user_version;", cancellationToken).ConfigureAwait(false);
        var latest = All[^1].Version;
        if (fileVersion > latest)
        {
            throw new InvalidOperationException(
                $"The TeenMode database '{databasePath}' has schema version {fileVersion}, newer than this package's {latest}. Upgrade TeenMode.Sdk.Sqlite.");
        }

        // A file from before schema_history (user_version 1, schema by CREATE … IF NOT EXISTS) has an empty history:
        // 0001 then runs again and only adds what it lacks, and the later migrations bring it up to date.
        await connection.ExecuteAsync(transaction, """
            CREATE TABLE IF NOT EXISTS schema_history (
                version    INTEGER NOT NULL PRIMARY KEY,
                name       TEXT    NOT NULL,
                applied_at TEXT    NOT NULL
            );
            """, _ => { }, cancellationToken).ConfigureAwait(false);
        var applied = await ScalarAsync(connection, transaction, "SELECT COALESCE(MAX(version), 0) FROM schema_history;", cancellationToken).ConfigureAwait(false);
        foreach (var migration in All.Where(m => m.Version > applied))
        {
            await connection.ExecuteAsync(transaction, migration.Sql, _ => { }, cancellationToken).ConfigureAwait(false);
            await connection.ExecuteAsync(transaction, "INSERT INTO schema_history (version, name, applied_at) VALUES ($version, $name, $at);", p =>
            {
                p.AddWithValue("$version", migration.Version);
                p.AddWithValue("$name", migration.Name);
                p.AddWithValue("$at", SqliteValues.FormatInstant(time.GetUtcNow()));
            }, cancellationToken).ConfigureAwait(false);
        }

        // Kept in step for tools (and older packages, which refuse a higher number) that read the version from the header.
        await connection.ExecuteAsync(transaction, string.Create(CultureInfo.InvariantCulture, $"PRAGMA user_version = {latest};"), _ => { }, cancellationToken)
            .ConfigureAwait(false);
        await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
    }

    private static async Task<long> ScalarAsync(SqliteConnection connection, SqliteTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    private static List<SqliteMigration> Load()
    {
        var assembly = typeof(SqliteMigrations).Assembly;
        var migrations = new List<SqliteMigration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileNameWithoutExtension(resource[ResourcePrefix.Length..]);
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            migrations.Add(new SqliteMigration(int.Parse(name.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture), name, reader.ReadToEnd()));
        }

        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new InvalidOperationException($"TeenMode.Sdk.Sqlite migration '{migrations[i].Name}' should be number {i + 1}: migrations are numbered 1, 2, … without gaps.");
            }
        }

        return migrations.Count > 0 ? migrations : throw new InvalidOperationException("TeenMode.Sdk.Sqlite has no embedded migrations.");
    }
}
