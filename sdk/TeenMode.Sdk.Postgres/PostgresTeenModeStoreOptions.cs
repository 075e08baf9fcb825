using TeenMode.Storage;

namespace TeenMode.Postgres;

/// <summary>Settings of the PostgreSQL stores (<see cref="PostgresDatabase"/>).</summary>
public sealed class PostgresTeenModeStoreOptions
{
    /// <summary>
    /// An Npgsql connection string, e.g. <c>Host=db;Port=5432;Database=teenmode;Username=app;Password=…</c>. Every app instance
    /// that shares state points at the same database. Timeouts given here are replaced by <see cref="ConnectTimeout"/> and
    /// <see cref="CommandTimeout"/>.
    /// </summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// The schema that holds the tables (created when missing), so several apps can share one database; null uses the
    /// connection's default search path (normally <c>public</c>). Lower-case letters, digits and '_' only.
    /// </summary>
    public string? Schema { get; set; }

    /// <summary>
    /// How long opening a connection may take before it fails. Default 3 seconds: a stopped database answers
    /// <c>store-unavailable</c> quickly instead of keeping a minor's request waiting.
    /// </summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How long one statement may run before it fails. Default 5 seconds; migrations get at least a minute.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a due authority notice handed to one instance by <c>GetDueNoticesAsync</c> is hidden from the others
    /// (its next attempt is pushed this far forward), so in normal operation each notice is sent by one instance. Default 60 seconds.
    /// </summary>
    public TimeSpan OutboxLease { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How heartbeats are batched: concurrent heartbeats reaching one instance are counted in one transaction of at most
    /// <see cref="GroupCommitOptions.MaxBatchSize"/> heartbeats; each caller is answered after its batch committed.
    /// </summary>
    public GroupCommitOptions HeartbeatCommit { get; set; } = new();

    /// <summary>Throws when a value is unusable.</summary>
    /// <exception cref="ArgumentException">The connection string is empty, the schema name is not plain, or a duration is out of range.</exception>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ConnectionString, nameof(ConnectionString));
        if (Schema is not null && !IsPlainIdentifier(Schema))
        {
            throw new ArgumentException("The schema name may hold only lower-case letters, digits and '_', start with a letter or '_', and have at most 63 characters.", nameof(Schema));
        }

        if (ConnectTimeout < TimeSpan.FromSeconds(1) || ConnectTimeout > TimeSpan.FromMinutes(1))
        {
            throw new ArgumentException("The connect timeout must be between 1 second and 1 minute.", nameof(ConnectTimeout));
        }

        if (CommandTimeout < TimeSpan.FromSeconds(1) || CommandTimeout > TimeSpan.FromMinutes(10))
        {
            throw new ArgumentException("The command timeout must be between 1 second and 10 minutes.", nameof(CommandTimeout));
        }

        ArgumentNullException.ThrowIfNull(HeartbeatCommit, nameof(HeartbeatCommit));
        HeartbeatCommit.Validate();

        if (OutboxLease <= TimeSpan.Zero || OutboxLease > TimeSpan.FromHours(1))
        {
            throw new ArgumentException("The outbox lease must be positive and at most one hour.", nameof(OutboxLease));
        }
    }

    private static bool IsPlainIdentifier(string name) =>
        name.Length is > 0 and <= 63
        && (char.IsAsciiLetterLower(name[0]) || name[0] == '_')
        && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_');
}
