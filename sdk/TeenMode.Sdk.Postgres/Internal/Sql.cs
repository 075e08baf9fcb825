using Npgsql;
using NpgsqlTypes;

namespace TeenMode.Postgres.Internal;

/// <summary>
/// Typed parameters and readers. Every parameter carries its type, so a null still has one (<c>@x IS NULL</c> needs it),
/// and every instant is written as a timestamptz plus its sub-microsecond tick (see the 0001 migration).
/// </summary>
internal static class Sql
{
    public static NpgsqlCommand Text(this NpgsqlCommand command, string name, string? value) => command.Add(name, NpgsqlDbType.Text, value);

    public static NpgsqlCommand Long(this NpgsqlCommand command, string name, long? value) => command.Add(name, NpgsqlDbType.Bigint, value);

    public static NpgsqlCommand Int(this NpgsqlCommand command, string name, int? value) => command.Add(name, NpgsqlDbType.Integer, value);

    public static NpgsqlCommand Bool(this NpgsqlCommand command, string name, bool? value) => command.Add(name, NpgsqlDbType.Boolean, value);

    public static NpgsqlCommand Bytes(this NpgsqlCommand command, string name, byte[]? value) => command.Add(name, NpgsqlDbType.Bytea, value);

    public static NpgsqlCommand Money(this NpgsqlCommand command, string name, decimal? value) => command.Add(name, NpgsqlDbType.Numeric, value);

    public static NpgsqlCommand Date(this NpgsqlCommand command, string name, DateOnly? value) => command.Add(name, NpgsqlDbType.Date, value);

    public static NpgsqlCommand TextArray(this NpgsqlCommand command, string name, string[]? value) => command.Add(name, NpgsqlDbType.Array | NpgsqlDbType.Text, value);

    public static NpgsqlCommand DateArray(this NpgsqlCommand command, string name, DateOnly[]? value) => command.Add(name, NpgsqlDbType.Array | NpgsqlDbType.Date, value);

    public static NpgsqlCommand LongArray(this NpgsqlCommand command, string name, long[]? value) => command.Add(name, NpgsqlDbType.Array | NpgsqlDbType.Bigint, value);

    /// <summary>Adds a batch statement with its positional parameters (<c>$1</c>, <c>$2</c>, …), each typed.</summary>
    public static NpgsqlBatchCommand Add(this NpgsqlBatch batch, string sql, params (NpgsqlDbType Type, object Value)[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var (type, value) in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = type, Value = value });
        }

        batch.BatchCommands.Add(command);
        return command;
    }

    /// <summary>Adds <paramref name="name"/> (timestamptz, whole microseconds, UTC) and <c>{name}_tick</c> (the tenth of a microsecond left over).</summary>
    public static NpgsqlCommand Instant(this NpgsqlCommand command, string name, DateTimeOffset? value)
    {
        command.Add(name, NpgsqlDbType.TimestampTz, value is { } v ? WholeMicroseconds(v) : null);
        return command.Add(name + "_tick", NpgsqlDbType.Smallint, value is { } t ? Tick(t) : null);
    }

    /// <summary>The instant as a UTC timestamptz value, cut to whole microseconds (PostgreSQL's resolution).</summary>
    public static DateTime WholeMicroseconds(DateTimeOffset instant) => new(instant.UtcTicks - (instant.UtcTicks % 10), DateTimeKind.Utc);

    /// <summary>The tenth of a microsecond <see cref="WholeMicroseconds"/> cuts off.</summary>
    public static short Tick(DateTimeOffset instant) => (short)(instant.UtcTicks % 10);

    /// <summary>Reads the instant at <paramref name="ordinal"/> and its tick at the next ordinal, in UTC.</summary>
    public static DateTimeOffset GetInstant(this NpgsqlDataReader reader, int ordinal) =>
        new(reader.GetFieldValue<DateTime>(ordinal).Ticks + reader.GetInt16(ordinal + 1), TimeSpan.Zero);

    public static DateTimeOffset? GetInstantOrNull(this NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetInstant(ordinal);

    public static string? GetStringOrNull(this NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    /// <summary>An amount of money with at most two decimals (the ledgers' unit is the fen); refused otherwise, as the SQLite store does.</summary>
    public static decimal CheckCents(decimal amount, string paramName) =>
        decimal.Round(amount, 2) == amount ? amount : throw new ArgumentException("An amount has at most two decimals.", paramName);

    private static NpgsqlCommand Add(this NpgsqlCommand command, string name, NpgsqlDbType type, object? value)
    {
        command.Parameters.Add(new NpgsqlParameter(name, type) { Value = value ?? DBNull.Value });
        return command;
    }
}

/// <summary>A connection, and the transaction when there is one, with the two ways statements are run here.</summary>
internal sealed class PgSession(NpgsqlConnection connection, NpgsqlTransaction? transaction)
{
    /// <summary>Several statements sent in one round trip, in this session's transaction.</summary>
    public NpgsqlBatch CreateBatch() => new(connection, transaction);

    public async Task<int> ExecuteAsync(string sql, Action<NpgsqlCommand>? bind, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        bind?.Invoke(command);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<List<T>> QueryAsync<T>(string sql, Action<NpgsqlCommand>? bind, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        bind?.Invoke(command);
        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    public async Task<T?> QuerySingleAsync<T>(string sql, Action<NpgsqlCommand>? bind, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
        where T : class
    {
        var rows = await QueryAsync(sql, bind, read, cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>
    /// Serialises this transaction with every other one on the same <paramref name="scope"/> and key, in every app
    /// instance, until commit or rollback. Used where the row to lock may not exist yet (a subject's first spend).
    /// </summary>
    public Task LockAsync(LockScope scope, string key, CancellationToken cancellationToken) =>
        ExecuteAsync("SELECT pg_advisory_xact_lock(@scope, hashtext(@key));", c => c.Int("scope", (int)scope).Text("key", key), cancellationToken);
}

/// <summary>The advisory-lock namespaces (the first key of the two-key form); a hash collision only serialises a little more.</summary>
internal enum LockScope
{
    Spending = 1,
    GameSpend = 2,
    Lockout = 3,
}
