using Microsoft.Data.Sqlite;
using Newtonsoft.Json;
using TeenMode.Audit;
using TeenMode.Sqlite.Internal;
using static TeenMode.Sqlite.Internal.SqliteValues;

namespace TeenMode.Sqlite;

/// <summary>The hash-chained audit log in the shared SQLite file; only the next sequence number after the tail is accepted.</summary>
/// <param name="database">The SQLite file the app's stores share.</param>
public sealed class SqliteAuditStore(SqliteDatabase database) : IAuditStore
{
    private readonly SqliteDatabase _database = database ?? throw new ArgumentNullException(nameof(database));

    private const string AuditColumns = "seq, at, actor, action, subject_id, target, details, prev_hash, hash";

    /// <inheritdoc />
    public async Task<bool> TryAppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();

            // The chain must stay gap-free: only the next number after the current tail is accepted.
            command.CommandText = $"""
                INSERT INTO audit_log ({AuditColumns})
                SELECT $seq, $at, $actor, $action, $subject, $target, $details, $prev, $hash
                WHERE $seq = COALESCE((SELECT MAX(seq) FROM audit_log), 0) + 1
                ON CONFLICT (seq) DO NOTHING;
                """;
            command.Parameters.AddWithValue("$seq", entry.Sequence);
            command.Parameters.AddWithValue("$at", FormatInstant(entry.At));
            command.Parameters.AddWithValue("$actor", entry.Event.Actor);
            command.Parameters.AddWithValue("$action", entry.Event.Action);
            command.Parameters.AddWithValue("$subject", (object?)entry.Event.SubjectId ?? DBNull.Value);
            command.Parameters.AddWithValue("$target", (object?)entry.Event.Target ?? DBNull.Value);
            command.Parameters.AddWithValue("$details", entry.Event.Details is { Count: > 0 } d ? JsonConvert.SerializeObject(d) : DBNull.Value);
            command.Parameters.AddWithValue("$prev", entry.PreviousHash);
            command.Parameters.AddWithValue("$hash", entry.Hash);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        }
    }

    /// <inheritdoc />
    public async Task<AuditEntry?> GetLastAsync(CancellationToken cancellationToken = default)
    {
        var page = await QueryAuditAsync($"SELECT {AuditColumns} FROM audit_log ORDER BY seq DESC LIMIT 1;", _ => { }, cancellationToken).ConfigureAwait(false);
        return page.Count == 0 ? null : page[0];
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AuditEntry>> ReadAsync(long afterSequence, int limit, string? subjectId = null, CancellationToken cancellationToken = default) =>
        QueryAuditAsync(
            $"SELECT {AuditColumns} FROM audit_log WHERE seq > $after AND ($subject IS NULL OR subject_id = $subject) ORDER BY seq LIMIT $limit;",
            p =>
            {
                p.AddWithValue("$after", afterSequence);
                p.AddWithValue("$subject", (object?)subjectId ?? DBNull.Value);
                p.AddWithValue("$limit", limit);
            },
            cancellationToken);

    private async Task<IReadOnlyList<AuditEntry>> QueryAuditAsync(string sql, Action<SqliteParameterCollection> bind, CancellationToken cancellationToken)
    {
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            bind(command.Parameters);
            var list = new List<AuditEntry>();
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var details = reader.IsDBNull(6) ? null : JsonConvert.DeserializeObject<Dictionary<string, string>>(reader.GetString(6));
                    var auditEvent = new AuditEvent(
                        reader.GetString(2),
                        reader.GetString(3),
                        reader.IsDBNull(4) ? null : reader.GetString(4),
                        reader.IsDBNull(5) ? null : reader.GetString(5),
                        details is null ? null : new SortedDictionary<string, string>(details, StringComparer.Ordinal));
                    list.Add(new AuditEntry(reader.GetInt64(0), ParseInstant(reader.GetString(1)), auditEvent, reader.GetString(7), reader.GetString(8)));
                }
            }

            return list;
        }
    }
}
