using System.Globalization;
using Microsoft.Data.Sqlite;
using TeenMode.AntiAddiction;
using TeenMode.ParentalControl;
using TeenMode.Reporting;
using TeenMode.Subjects;

namespace TeenMode.Sqlite;

/// <summary>
/// Keeps every teen-mode store in one SQLite file: the embedded durable store for a single app node.
/// Every write is committed (and synced to disk) before its task completes; heartbeats and reports are
/// counted and stored in <c>BEGIN IMMEDIATE</c> transactions, so several threads or processes sharing the
/// file never double count or lose a write.
/// </summary>
/// <remarks>The schema is created on first use and versioned with <c>PRAGMA user_version</c>.</remarks>
public sealed partial class SqliteTeenModeStore : ISubjectStore, IUsageLedgerStore, IGuardianStore, IReportStore, IDisposable
{
    /// <summary>The schema version this code writes and understands.</summary>
    public const int SchemaVersion = 1;

    private const string SubjectColumns = "id, birth_date, declared_band, age_source, teen_mode, created_at";
    private const string ReportColumns =
        "id, idempotency_key, request_hash, reporter_kind, reporter_id, category, target_kind, target_id, description, status, received_at";

    // One script per function (each partial file adds its own); all are applied at start-up.
    private static readonly string[] Schemas = [SchemaV1, SchemaAudit, SchemaReporting, SchemaContent, SchemaLockout, SchemaGames, SchemaBlockedAttempts, SchemaSpending, SchemaPiProtection, SchemaGuardians, SchemaPersonalInfo];

    private const string SchemaV1 = """
        CREATE TABLE IF NOT EXISTS subjects (
            id            TEXT    NOT NULL PRIMARY KEY,
            birth_date    TEXT    NULL,
            declared_band TEXT    NULL,
            age_source    TEXT    NOT NULL,
            teen_mode     INTEGER NOT NULL,
            created_at    TEXT    NOT NULL
        );
        CREATE TABLE IF NOT EXISTS usage_heartbeats (
            subject_id TEXT    NOT NULL,
            device_id  TEXT    NOT NULL,
            sequence   INTEGER NOT NULL,
            PRIMARY KEY (subject_id, device_id, sequence)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS usage_days (
            subject_id TEXT    NOT NULL,
            local_date TEXT    NOT NULL,
            seconds    INTEGER NOT NULL,
            PRIMARY KEY (subject_id, local_date)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS usage_continuity (
            subject_id         TEXT    NOT NULL PRIMARY KEY,
            continuous_seconds INTEGER NOT NULL,
            last_at            TEXT    NOT NULL
        );
        CREATE TABLE IF NOT EXISTS guardians (
            subject_id     TEXT    NOT NULL,
            guardian_id    TEXT    NOT NULL,
            pin_salt       BLOB    NOT NULL,
            pin_hash       BLOB    NOT NULL,
            pin_iterations INTEGER NOT NULL,
            bound_at       TEXT    NOT NULL,
            PRIMARY KEY (subject_id, guardian_id)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS content_items (
            id                TEXT    NOT NULL PRIMARY KEY,
            sort_key          BLOB    NOT NULL UNIQUE,
            title             TEXT    NOT NULL,
            category          TEXT    NOT NULL,
            bands             TEXT    NOT NULL,
            may_affect_minors INTEGER NOT NULL
        );
        CREATE TABLE IF NOT EXISTS reports (
            id              TEXT NOT NULL PRIMARY KEY,
            idempotency_key TEXT NOT NULL UNIQUE,
            request_hash    TEXT NOT NULL,
            reporter_kind   TEXT NOT NULL,
            reporter_id     TEXT NULL,
            category        TEXT NOT NULL,
            target_kind     TEXT NOT NULL,
            target_id       TEXT NOT NULL,
            description     TEXT NULL,
            status          TEXT NOT NULL,
            received_at     TEXT NOT NULL
        );
        """;

    private readonly string _connectionString;
    private readonly long _busyTimeoutMilliseconds;
    private readonly TimeSpan _noticeClaimLease;
    private readonly SemaphoreSlim _initGate = new(1, 1);
    private volatile bool _initialized;
    private volatile bool _disposed;

    /// <summary>Opens (or creates on first use) the store in <paramref name="databasePath"/>.</summary>
    /// <exception cref="ArgumentException">The path is empty.</exception>
    public SqliteTeenModeStore(string databasePath)
        : this(new SqliteTeenModeStoreOptions { DatabasePath = databasePath })
    {
    }

    /// <summary>Opens (or creates on first use) the store described by <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">The path is empty, the busy timeout is negative or the notice claim lease is not positive.</exception>
    public SqliteTeenModeStore(SqliteTeenModeStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.DatabasePath);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BusyTimeout, TimeSpan.Zero);
        DatabasePath = Path.GetFullPath(options.DatabasePath);
        _busyTimeoutMilliseconds = (long)options.BusyTimeout.TotalMilliseconds;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.NoticeClaimLease, TimeSpan.Zero);
        _noticeClaimLease = options.NoticeClaimLease;
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

    /// <inheritdoc />
    public async Task<bool> TryAddAsync(Subject subject, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"INSERT INTO subjects ({SubjectColumns}) VALUES ($id, $birth, $band, $source, $teen, $created) ON CONFLICT (id) DO NOTHING;";
            command.Parameters.AddWithValue("$id", subject.Id);
            command.Parameters.AddWithValue("$birth", subject.BirthDate is { } birth ? birth.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : DBNull.Value);
            command.Parameters.AddWithValue("$band", subject.DeclaredBand is { } band ? band.Id : DBNull.Value);
            command.Parameters.AddWithValue("$source", subject.AgeSource.ToString());
            command.Parameters.AddWithValue("$teen", subject.TeenMode);
            command.Parameters.AddWithValue("$created", FormatInstant(subject.CreatedAt));
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        }
    }

    /// <inheritdoc />
    public async Task<Subject?> GetAsync(string subjectId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subjectId);
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {SubjectColumns} FROM subjects WHERE id = $id;";
            command.Parameters.AddWithValue("$id", subjectId);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadSubject(reader) : null;
            }
        }
    }

    /// <inheritdoc />
    public async Task<bool> SetTeenModeAsync(string subjectId, bool teenMode, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subjectId);
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE subjects SET teen_mode = $teen WHERE id = $id;";
            command.Parameters.AddWithValue("$id", subjectId);
            command.Parameters.AddWithValue("$teen", teenMode);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        }
    }

    /// <inheritdoc />
    public Task<(bool Counted, UsageDay Day)> AppendAsync(string subjectId, string deviceId, long sequence, DateOnly localDate,
        int seconds, DateTimeOffset at, TimeSpan breakAfter, CancellationToken cancellationToken = default) =>
        AppendAsync(new UsageAppend(subjectId, deviceId, sequence, localDate, seconds, at, breakAfter, UsageCategories.Uncategorized, true), cancellationToken);

    /// <inheritdoc />
    public async Task<UsageDay> GetDayAsync(string subjectId, DateOnly localDate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subjectId);
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await ReadDayAsync(connection, null, subjectId, localDate, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task SaveAsync(GuardianBinding binding, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(binding);
        ArgumentNullException.ThrowIfNull(binding.Pin);
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO guardians (subject_id, guardian_id, pin_salt, pin_hash, pin_iterations, bound_at)
                VALUES ($subject, $guardian, $salt, $hash, $iterations, $bound)
                ON CONFLICT (subject_id, guardian_id) DO UPDATE SET
                    pin_salt = excluded.pin_salt, pin_hash = excluded.pin_hash,
                    pin_iterations = excluded.pin_iterations, bound_at = excluded.bound_at;
                """;
            command.Parameters.AddWithValue("$subject", binding.SubjectId);
            command.Parameters.AddWithValue("$guardian", binding.GuardianId);
            command.Parameters.Add("$salt", SqliteType.Blob).Value = binding.Pin.Salt;
            command.Parameters.Add("$hash", SqliteType.Blob).Value = binding.Pin.Hash;
            command.Parameters.AddWithValue("$iterations", binding.Pin.Iterations);
            command.Parameters.AddWithValue("$bound", FormatInstant(binding.BoundAt));
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<GuardianBinding>> GetForSubjectAsync(string subjectId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subjectId);

        // The contract is .NET ordinal (UTF-16) order, not SQLite's UTF-8 byte order; the lists are short.
        return ReadBindingsAsync("subject_id", subjectId, static (a, b) => string.CompareOrdinal(a.GuardianId, b.GuardianId), cancellationToken);
    }

    private async Task<IReadOnlyList<GuardianBinding>> ReadBindingsAsync(string column, string value, Comparison<GuardianBinding> order, CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            // column is one of two constants chosen by this class, never input.
            command.CommandText = $"SELECT subject_id, guardian_id, pin_salt, pin_hash, pin_iterations, bound_at FROM guardians WHERE {column} = $value;";
            command.Parameters.AddWithValue("$value", value);
            var bindings = new List<GuardianBinding>();
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    bindings.Add(new GuardianBinding(
                        reader.GetString(0),
                        reader.GetString(1),
                        new PinHash(reader.GetFieldValue<byte[]>(2), reader.GetFieldValue<byte[]>(3), reader.GetInt32(4)),
                        ParseInstant(reader.GetString(5))));
                }
            }

            bindings.Sort(order);
            return bindings;
        }
    }

    /// <inheritdoc />
    public async Task<(ReportRecord Stored, bool Created)> AddOrGetAsync(ReportRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(record.Submission);
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            using (var insert = connection.CreateCommand())
            {
                insert.Transaction = transaction;
                insert.CommandText = $"""
                    INSERT INTO reports ({ReportColumns})
                    VALUES ($id, $key, $hash, $reporterKind, $reporterId, $category, $targetKind, $targetId, $description, $status, $received)
                    ON CONFLICT (idempotency_key) DO NOTHING;
                    """;
                var s = record.Submission;
                insert.Parameters.AddWithValue("$id", record.Id);
                insert.Parameters.AddWithValue("$key", record.IdempotencyKey);
                insert.Parameters.AddWithValue("$hash", record.RequestHash);
                insert.Parameters.AddWithValue("$reporterKind", s.ReporterKind.ToString());
                insert.Parameters.AddWithValue("$reporterId", (object?)s.ReporterId ?? DBNull.Value);
                insert.Parameters.AddWithValue("$category", s.Category.ToString());
                insert.Parameters.AddWithValue("$targetKind", s.TargetKind);
                insert.Parameters.AddWithValue("$targetId", s.TargetId);
                insert.Parameters.AddWithValue("$description", SealText(record.Id, DescriptionField, s.Description));
                insert.Parameters.AddWithValue("$status", record.Status.ToString());
                insert.Parameters.AddWithValue("$received", FormatInstant(record.ReceivedAt));
                if (await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
                {
                    // The receipt promises the report is stored: commit before answering.
                    await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
                    return (record, true);
                }
            }

            using var select = connection.CreateCommand();
            select.Transaction = transaction;
            select.CommandText = $"SELECT {ReportColumns} FROM reports WHERE idempotency_key = $key;";
            select.Parameters.AddWithValue("$key", record.IdempotencyKey);
            ReportRecord stored;
            var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                stored = await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
                    ? ReadReport(reader)
                    : throw new InvalidOperationException("A report with this idempotency key conflicted but cannot be read.");
            }

            await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
            return (stored, false);
        }
    }

    /// <inheritdoc />
    async Task<ReportRecord?> IReportStore.GetAsync(string reportId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reportId);
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {ReportColumns} FROM reports WHERE id = $id;";
            command.Parameters.AddWithValue("$id", reportId);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadReport(reader) : null;
            }
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

        _initGate.Dispose();
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_initialized)
        {
            await InitializeAsync(cancellationToken).ConfigureAwait(false);
        }

        return await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            using var command = connection.CreateCommand();

            // Both settings belong to the connection, not the file, so every (possibly pooled) connection sets them.
            // synchronous=FULL syncs the WAL on every commit: a completed write survives a power cut.
            command.CommandText = string.Create(CultureInfo.InvariantCulture,
                $"PRAGMA busy_timeout = {_busyTimeoutMilliseconds}; PRAGMA synchronous = FULL;");
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await _initGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_initialized)
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
                using (var wal = connection.CreateCommand())
                {
                    // WAL lets readers run beside the one writer; the mode is kept in the file.
                    wal.CommandText = "PRAGMA journal_mode = WAL;";
                    await wal.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                // Another process may be creating the schema at the same moment: the write lock serialises us.
                using var transaction = connection.BeginTransaction(deferred: false);
                using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = "PRAGMA user_version;";
                var version = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
                if (version > SchemaVersion)
                {
                    throw new InvalidOperationException(
                        $"The TeenMode database '{DatabasePath}' has schema version {version}, newer than this package's {SchemaVersion}. Upgrade TeenMode.Sdk.Sqlite.");
                }

                // Every statement is CREATE … IF NOT EXISTS, so running the whole script again only adds what is missing.
                // A change to an existing table needs a versioned step here (if version < 2 …) that keeps the data.
                command.CommandText = string.Concat(Schemas) + string.Create(CultureInfo.InvariantCulture, $"PRAGMA user_version = {SchemaVersion};");
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);

                await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
            }

            _initialized = true;
        }
        finally
        {
            _initGate.Release();
        }
    }

    private static async Task<UsageDay> ReadDayAsync(SqliteConnection connection, SqliteTransaction? transaction, string subjectId,
        DateOnly localDate, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            SELECT COALESCE((SELECT seconds FROM usage_days WHERE subject_id = $subject AND local_date = $date), 0),
                   c.continuous_seconds, c.last_at
            FROM (SELECT 1) LEFT JOIN usage_continuity c ON c.subject_id = $subject;
            """;
        command.Parameters.AddWithValue("$subject", subjectId);
        command.Parameters.AddWithValue("$date", FormatDate(localDate));
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var seconds = reader.GetInt64(0);
            return reader.IsDBNull(2)
                ? new UsageDay(seconds, 0, null)
                : new UsageDay(seconds, reader.GetInt64(1), ParseInstant(reader.GetString(2)));
        }
    }

    private static Subject ReadSubject(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.IsDBNull(1) ? null : DateOnly.ParseExact(reader.GetString(1), "yyyy-MM-dd", CultureInfo.InvariantCulture),
        reader.IsDBNull(2) ? null : ParseBand(reader.GetString(2)),
        Enum.Parse<AgeSource>(reader.GetString(3)),
        reader.GetBoolean(4),
        ParseInstant(reader.GetString(5)));

    private const string DescriptionField = "report.description";

    private ReportRecord ReadReport(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        new ReportSubmission(
            Enum.Parse<ReporterKind>(reader.GetString(3)),
            reader.IsDBNull(4) ? null : reader.GetString(4),
            Enum.Parse<ReportCategory>(reader.GetString(5)),
            reader.GetString(6),
            reader.GetString(7),
            OpenText(reader.GetString(0), DescriptionField, reader.IsDBNull(8) ? null : reader.GetString(8))),
        Enum.Parse<ReportStatus>(reader.GetString(9)),
        ParseInstant(reader.GetString(10)));

    private static AgeBand ParseBand(string id) =>
        AgeBand.TryParse(id, out var band) ? band : throw new InvalidDataException($"'{id}' in the TeenMode database is not a band id.");

    private static string FormatDate(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    // Round-trip text in UTC keeps every tick and sorts chronologically.
    private static string FormatInstant(DateTimeOffset instant) => instant.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseInstant(string text) => DateTimeOffset.ParseExact(text, "O", CultureInfo.InvariantCulture, DateTimeStyles.None);

    /// <summary>
    /// The id as big-endian UTF-16 code units: SQLite compares blobs with memcmp, which then matches
    /// .NET ordinal order exactly (SQLite's own text order is by UTF-8 bytes, which puts characters beyond U+FFFF elsewhere).
    /// </summary>
    private static byte[] OrdinalKey(string id)
    {
        var key = new byte[id.Length * 2];
        for (var i = 0; i < id.Length; i++)
        {
            key[2 * i] = (byte)(id[i] >> 8);
            key[(2 * i) + 1] = (byte)(id[i] & 0xFF);
        }

        return key;
    }
}
