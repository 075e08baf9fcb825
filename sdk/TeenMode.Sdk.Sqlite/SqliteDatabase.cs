using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using TeenMode.Sqlite.Internal;
using TeenMode.Storage;

namespace TeenMode.Sqlite;

/// <summary>
/// The one SQLite file that every SQLite store of an app shares: opens pooled connections (WAL, <c>synchronous=FULL</c>,
/// the busy timeout), and brings the schema up to date once, before the first connection is handed out, by applying
/// the numbered migrations in <c>Migrations/</c> that <c>schema_history</c> does not list yet.
/// </summary>
/// <remarks>
/// Several processes may share the file: migrations run under SQLite's write lock (<c>BEGIN IMMEDIATE</c>), so one
/// process applies them and the others see them recorded. Dispose it to release the pooled connections.
/// </remarks>
public sealed class SqliteDatabase : IDisposable
{
    /// <summary>The schema version this package writes and understands: the number of its last migration.</summary>
    public static int SchemaVersion => SqliteMigrations.All[^1].Version;

    private readonly string _connectionString;
    private readonly long _busyTimeoutMilliseconds;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _migrateGate = new(1, 1);

    // SQLite has one writer at a time. Writers of this process queue here, in order and asynchronously, instead of
    // spinning in SQLite's busy handler, so a burst of parallel writes never times out against itself; the busy timeout
    // then only meets writers of other processes. The wait ends with the caller's token (the SDK's StoreTimeout).
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private volatile bool _migrated;

    // Native connection handles whose per-connection settings are in place (weak: a handle the pool drops is forgotten).
    private readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> _configured = [];
    private static readonly object Configured = new();
    private volatile bool _disposed;

    /// <summary>Opens (creating on first use) the database file <paramref name="databasePath"/>.</summary>
    /// <exception cref="ArgumentException">The path is empty.</exception>
    public SqliteDatabase(string databasePath)
        : this(new SqliteDatabaseOptions { DatabasePath = databasePath })
    {
    }

    /// <summary>Opens (creating on first use) the database described by <paramref name="options"/>.</summary>
    /// <param name="options">The file and busy timeout.</param>
    /// <param name="time">Stamps <c>schema_history.applied_at</c>; the system clock when null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">The path is empty, the busy timeout is negative or the notice claim lease is not positive.</exception>
    public SqliteDatabase(SqliteDatabaseOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.DatabasePath);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BusyTimeout, TimeSpan.Zero);
        DatabasePath = Path.GetFullPath(options.DatabasePath);
        _busyTimeoutMilliseconds = (long)options.BusyTimeout.TotalMilliseconds;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.NoticeClaimLease, TimeSpan.Zero);
        NoticeClaimLease = options.NoticeClaimLease;
        ArgumentNullException.ThrowIfNull(options.HeartbeatCommit);
        options.HeartbeatCommit.Validate();
        HeartbeatCommit = new GroupCommitOptions { MaxBatchSize = options.HeartbeatCommit.MaxBatchSize, MaxWait = options.HeartbeatCommit.MaxWait };
        _time = time ?? TimeProvider.System;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,

            // Microsoft.Data.Sqlite retries SQLITE_BUSY for this many seconds after SQLite's own busy wait: the shortest
            // bound it takes (0 would mean "wait forever"), so the busy timeout alone sets how long a lock is waited for.
            DefaultTimeout = 1,
        }.ToString();
    }

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath { get; }

    /// <summary>How heartbeats are batched (<see cref="SqliteDatabaseOptions.HeartbeatCommit"/>), copied at construction.</summary>
    public GroupCommitOptions HeartbeatCommit { get; }

    /// <summary>How long a claimed authority notice stays hidden from the other processes (<see cref="SqliteDatabaseOptions.NoticeClaimLease"/>).</summary>
    public TimeSpan NoticeClaimLease { get; }

    /// <summary>
    /// Applies the migrations the file lacks (once per instance; later calls return at once). Stores call it on first
    /// use; a host may call it at start-up to fail early on a file it cannot use.
    /// </summary>
    /// <exception cref="InvalidOperationException">The file was written by a newer package (a higher schema version).</exception>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_migrated)
        {
            return;
        }

        await _migrateGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_migrated)
            {
                return;
            }

            var folder = Path.GetDirectoryName(DatabasePath);
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }

            var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                await SqliteMigrations.ApplyAsync(connection, DatabasePath, _time, cancellationToken).ConfigureAwait(false);
            }

            _migrated = true;
        }
        finally
        {
            _migrateGate.Release();
        }
    }

    /// <summary>Releases the pooled connections, so the database file can be moved or deleted.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        using (var connection = new SqliteConnection(_connectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        _migrateGate.Dispose();
        _writeGate.Dispose();
    }

    /// <summary>
    /// Waits for this process's turn to write (in arrival order); dispose the lease after the write transaction ends.
    /// </summary>
    internal async Task<WriteLease> EnterWriteAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new WriteLease(_writeGate);
    }

    /// <summary>Holds this process's write turn until disposed.</summary>
    internal sealed class WriteLease(SemaphoreSlim gate) : IDisposable
    {
        private SemaphoreSlim? _gate = gate;

        public void Dispose() => Interlocked.Exchange(ref _gate, null)?.Release();
    }

    /// <summary>
    /// An open connection to an up-to-date schema. A store that reads and then writes takes the write lock up front with
    /// <c>BeginTransaction(deferred: false)</c> (<c>BEGIN IMMEDIATE</c>): a deferred one can fail with SQLITE_BUSY_SNAPSHOT
    /// under WAL instead of waiting for the other writer.
    /// </summary>
    internal async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_migrated)
        {
            await MigrateAsync(cancellationToken).ConfigureAwait(false);
        }

        return await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// An open connection whose commits sync the WAL only at checkpoints (<c>synchronous=NORMAL</c>): a commit survives the
    /// process being killed, not a power cut before the next sync. The handle goes back to the pool marked unconfigured,
    /// so its next user gets <c>synchronous=FULL</c> again.
    /// </summary>
    internal async Task<SqliteConnection> OpenUnsyncedAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (connection.Handle is { } handle)
            {
                _configured.Remove(handle);
            }

            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA synchronous = NORMAL;";
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Runs one statement on its own connection; the number of rows it changed.</summary>
    internal async Task<int> ExecuteAsync(string sql, Action<SqliteParameterCollection> bind, CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await connection.ExecuteAsync(null, sql, bind, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Runs one query on its own connection and reads every row.</summary>
    internal async Task<List<T>> QueryAsync<T>(string sql, Action<SqliteParameterCollection> bind, Func<SqliteDataReader, T> read,
        CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await connection.QueryAsync(null, sql, bind, read, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);

            // Both settings belong to the connection, not the file, and a pooled connection keeps its native handle: set
            // them once per handle rather than on every open (two statements saved on each store call).
            if (connection.Handle is { } handle && _configured.TryGetValue(handle, out _))
            {
                return connection;
            }

            using var command = connection.CreateCommand();

            // synchronous=FULL syncs the WAL on every commit: a completed write survives a power cut.
            command.CommandText = string.Create(CultureInfo.InvariantCulture,
                $"PRAGMA busy_timeout = {_busyTimeoutMilliseconds}; PRAGMA synchronous = FULL;");
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            if (connection.Handle is { } opened)
            {
                _configured.AddOrUpdate(opened, Configured);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
