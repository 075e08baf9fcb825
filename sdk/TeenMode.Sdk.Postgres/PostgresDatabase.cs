using Npgsql;
using TeenMode.Postgres.Internal;

namespace TeenMode.Postgres;

/// <summary>
/// The database every PostgreSQL store shares: owns the <see cref="NpgsqlDataSource"/> (the connection pool), applies the
/// numbered migrations once before first use, and runs statements and transactions for the stores. Create one per app
/// process (<c>UsePostgres</c> does) and dispose it on shutdown.
/// </summary>
/// <remarks>
/// Failures are not hidden: a store call against a stopped database throws within the connect or command timeout, and
/// the SDK's fail-closed wrapper turns that into <c>store-unavailable</c>. A connection the server has dropped (restart,
/// failover, terminated backend) empties the pool, so the requests after it get fresh connections.
/// </remarks>
public sealed class PostgresDatabase : IAsyncDisposable, IDisposable
{
    // Any constant both instances agree on: the session-level advisory lock that makes migrating a one-at-a-time step.
    private const long MigrationLockKey = 0x7465_656E_6D6F_6465; // "teenmode"

    private const int MaxTransactionAttempts = 5;

    private readonly NpgsqlDataSource _dataSource;
    private readonly SemaphoreSlim _migrateGate = new(1, 1);
    private volatile bool _migrated;

    /// <summary>Prepares the pool; nothing connects until the first store call (or <see cref="MigrateAsync"/>).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">An option is unusable (see <see cref="PostgresTeenModeStoreOptions.Validate"/>).</exception>
    public PostgresDatabase(PostgresTeenModeStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = new PostgresTeenModeStoreOptions
        {
            ConnectionString = options.ConnectionString,
            Schema = options.Schema,
            ConnectTimeout = options.ConnectTimeout,
            CommandTimeout = options.CommandTimeout,
            OutboxLease = options.OutboxLease,
            HeartbeatCommit = new() { MaxBatchSize = options.HeartbeatCommit.MaxBatchSize, MaxWait = options.HeartbeatCommit.MaxWait },
        };
        var builder = new NpgsqlConnectionStringBuilder(options.ConnectionString)
        {
            Timeout = (int)Math.Ceiling(options.ConnectTimeout.TotalSeconds),
            CommandTimeout = (int)Math.Ceiling(options.CommandTimeout.TotalSeconds),
        };
        if (options.Schema is { } schema)
        {
            builder.SearchPath = schema;
        }

        // The stores run a small fixed set of statements on every request: prepared once per connection, the server
        // skips parsing and planning them again (the connection string may set its own figure).
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 64;
        }

        // The stores leave no session state behind (transaction-scoped locks only; the migration lock is released in a
        // finally), so a pooled connection needs no RESET ALL / DISCARD on the server each time it is handed out.
        builder.NoResetOnClose = true;

        _dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
    }

    /// <summary>A copy of the options this database was opened with.</summary>
    public PostgresTeenModeStoreOptions Options { get; }

    /// <summary>
    /// Applies the migrations this package has and the database lacks, each in its own transaction, recorded in
    /// <c>schema_history</c>. Safe when several instances start together: they take turns under an advisory lock and
    /// each step is applied once. Store calls do this on first use; call it at start-up to fail early.
    /// </summary>
    /// <exception cref="InvalidOperationException">The database was migrated by a newer version of this package.</exception>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        if (_migrated)
        {
            return;
        }

        await _migrateGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_migrated)
            {
                await using var connection = await OpenRawAsync(cancellationToken).ConfigureAwait(false);
                await ApplyMigrationsAsync(connection, cancellationToken).ConfigureAwait(false);
                _migrated = true;
            }
        }
        finally
        {
            _migrateGate.Release();
        }
    }

    /// <summary>The versions recorded in <c>schema_history</c>, in order (for operators and tests).</summary>
    public async Task<IReadOnlyList<int>> GetAppliedMigrationsAsync(CancellationToken cancellationToken = default) =>
        await QueryAsync("SELECT version FROM schema_history ORDER BY version;", null, r => r.GetInt32(0), cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync().ConfigureAwait(false);
        _migrateGate.Dispose();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _dataSource.Dispose();
        _migrateGate.Dispose();
    }

    /// <summary>Runs one statement outside a transaction (it is atomic by itself).</summary>
    internal Task<int> ExecuteAsync(string sql, Action<NpgsqlCommand>? bind, CancellationToken cancellationToken) =>
        RunAsync(session => session.ExecuteAsync(sql, bind, cancellationToken), retryOnBrokenConnection: false, cancellationToken);

    /// <summary>Runs one reading statement; a read is retried once on a fresh connection when a pooled one turned out dead.</summary>
    internal Task<List<T>> QueryAsync<T>(string sql, Action<NpgsqlCommand>? bind, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken) =>
        RunAsync(session => session.QueryAsync(sql, bind, read, cancellationToken), retryOnBrokenConnection: true, cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> in one READ COMMITTED transaction and commits it (whatever the token says once the work
    /// is done, so the answer matches the database). A deadlock or serialization failure, or a connection found dead
    /// before the commit, rolls everything back and runs the work again on a fresh transaction.
    /// </summary>
    internal async Task<T> InTransactionAsync<T>(Func<PgSession, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var committing = false;
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                var result = await work(new PgSession(connection, transaction), cancellationToken).ConfigureAwait(false);
                committing = true;
                await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
                return result;
            }
            catch (NpgsqlException ex) when (attempt < MaxTransactionAttempts && (IsRetryable(ex) || (!committing && IsBroken(ex) && attempt == 1)))
            {
                ForgetBrokenConnections(ex);
            }
            catch (NpgsqlException ex)
            {
                ForgetBrokenConnections(ex);
                throw;
            }
        }
    }

    private async Task<T> RunAsync<T>(Func<PgSession, Task<T>> work, bool retryOnBrokenConnection, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            // A connection that cannot be opened is not retried: a stopped database must fail within one connect timeout.
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await work(new PgSession(connection, null)).ConfigureAwait(false);
            }
            catch (NpgsqlException ex) when (retryOnBrokenConnection && attempt == 1 && IsBroken(ex))
            {
                ForgetBrokenConnections(ex);
            }
            catch (NpgsqlException ex)
            {
                ForgetBrokenConnections(ex);
                throw;
            }
        }
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (!_migrated)
        {
            await MigrateAsync(cancellationToken).ConfigureAwait(false);
        }

        return await OpenRawAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<NpgsqlConnection> OpenRawAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException ex)
        {
            ForgetBrokenConnections(ex);
            throw;
        }
    }

    private async Task ApplyMigrationsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var session = new PgSession(connection, null);
        var migrationTimeout = (int)Math.Max(60, Options.CommandTimeout.TotalSeconds);

        // Session-level lock, released in finally (and by the server if this process dies): one instance migrates at a time.
        await session.ExecuteAsync("SELECT pg_advisory_lock(@key);", c => c.Long("key", MigrationLockKey), cancellationToken).ConfigureAwait(false);
        try
        {
            if (Options.Schema is { } schema)
            {
                // DDL takes no parameters: the name travels in a setting and format('%I') quotes it, so no SQL is built from text.
                await session.ExecuteAsync("SELECT set_config('teenmode.schema', @schema, false);", c => c.Text("schema", schema), cancellationToken).ConfigureAwait(false);
                await session.ExecuteAsync(
                    "DO $$ BEGIN EXECUTE format('CREATE SCHEMA IF NOT EXISTS %I', current_setting('teenmode.schema')); END $$;",
                    null, cancellationToken).ConfigureAwait(false);
            }

            await session.ExecuteAsync("""
                CREATE TABLE IF NOT EXISTS schema_history (
                    version    integer     NOT NULL PRIMARY KEY,
                    name       text        NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                );
                """, null, cancellationToken).ConfigureAwait(false);
            var applied = await session.QueryAsync("SELECT version FROM schema_history;", null, r => r.GetInt32(0), cancellationToken).ConfigureAwait(false);
            if (applied.Count > 0 && applied.Max() > Migrations.Latest)
            {
                throw new InvalidOperationException(
                    $"The TeenMode database has schema version {applied.Max()}, newer than this package's {Migrations.Latest}. Upgrade TeenMode.Sdk.Postgres.");
            }

            foreach (var migration in Migrations.All.Where(m => !applied.Contains(m.Version)))
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await using (var command = new NpgsqlCommand(migration.Script, connection, transaction) { CommandTimeout = migrationTimeout })
                {
                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await new PgSession(connection, transaction).ExecuteAsync("INSERT INTO schema_history (version, name) VALUES (@version, @name);",
                    c => c.Int("version", migration.Version).Text("name", migration.Name), cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            if (connection.FullState == System.Data.ConnectionState.Open)
            {
                await session.ExecuteAsync("SELECT pg_advisory_unlock(@key);", c => c.Long("key", MigrationLockKey), CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    // Deadlock and serialization failure: the transaction was rolled back whole, so running it again is safe.
    private static bool IsRetryable(NpgsqlException ex) => ex is PostgresException { SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected };

    // The connection is gone (network, server restart, terminated backend): nothing after the failure ran.
    private static bool IsBroken(NpgsqlException ex) => ex switch
    {
        PostgresException pg => pg.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
            || pg.SqlState.StartsWith("08", StringComparison.Ordinal),
        _ => ex.InnerException is IOException or System.Net.Sockets.SocketException or EndOfStreamException,
    };

    private void ForgetBrokenConnections(NpgsqlException ex)
    {
        // When one pooled connection is dead its idle siblings usually are too (server restart): drop them all, so the
        // next requests open fresh ones instead of each failing once.
        if (IsBroken(ex))
        {
            _dataSource.Clear();
        }
    }
}
