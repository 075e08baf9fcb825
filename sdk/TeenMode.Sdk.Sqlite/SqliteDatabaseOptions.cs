using TeenMode.Storage;

namespace TeenMode.Sqlite;

/// <summary>Settings of <see cref="SqliteDatabase"/>, the one SQLite file every SQLite store of an app shares.</summary>
public sealed class SqliteDatabaseOptions
{
    /// <summary>
    /// The database file. It is created, with its schema, on first use; its folder is created when missing.
    /// Every app process that shares state must point at the same file on a local disk.
    /// </summary>
    public string DatabasePath { get; set; } = "teenmode.db";

    /// <summary>
    /// How long SQLite waits for another connection's lock before a statement fails. Default 0.25 seconds. Microsoft.Data.Sqlite
    /// then retries for one more second (each retry waiting this long again), so a locked file fails a call after about one
    /// second plus twice this: within <c>TeenModeOptions.StoreTimeout</c> (2 seconds by default), so a locked store answers
    /// <c>store-unavailable</c> quickly instead of keeping a minor's request waiting.
    /// </summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// How long an authority notice handed to one process's dispatcher stays claimed (no other process sharing the file sends it).
    /// Default 5 minutes: longer than a delivery round, so a slow sink does not cause a second send; a process that dies
    /// mid-delivery delays its notices by at most this long.
    /// </summary>
    public TimeSpan NoticeClaimLease { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How heartbeats are batched: concurrent heartbeats are counted in one transaction (one WAL sync) of at most
    /// <see cref="GroupCommitOptions.MaxBatchSize"/> heartbeats; each caller is answered after its batch committed.
    /// </summary>
    public GroupCommitOptions HeartbeatCommit { get; set; } = new();
}
