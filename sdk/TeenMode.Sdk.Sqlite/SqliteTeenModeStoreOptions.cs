namespace TeenMode.Sqlite;

/// <summary>Settings of <see cref="SqliteTeenModeStore"/>.</summary>
public sealed class SqliteTeenModeStoreOptions
{
    /// <summary>
    /// The database file. It is created, with its schema, on first use; its folder is created when missing.
    /// Every app process that shares state must point at the same file on a local disk.
    /// </summary>
    public string DatabasePath { get; set; } = "teenmode.db";

    /// <summary>How long a write waits for another writer's lock before failing. Default 10 seconds.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
