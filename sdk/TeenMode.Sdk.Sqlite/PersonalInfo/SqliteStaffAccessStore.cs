using Microsoft.Data.Sqlite;
using TeenMode.PersonalInfo;
using TeenMode.Sqlite.Internal;
using static TeenMode.Sqlite.Internal.SqliteValues;

namespace TeenMode.Sqlite;

/// <summary>Staff access grants to personal data in the shared SQLite file; a grant is decided once (compare-and-set on its status).</summary>
/// <param name="database">The SQLite file the app's stores share.</param>
public sealed class SqliteStaffAccessStore(SqliteDatabase database) : IStaffAccessStore
{
    private readonly SqliteDatabase _database = database ?? throw new ArgumentNullException(nameof(database));

    private const string GrantColumns = "id, staff_id, subject_id, purpose, justification, status, requested_at, approver_id, decided_at, expires_at";

    /// <inheritdoc />
    public async Task<bool> AddGrantAsync(StaffAccessGrant grant, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grant);
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"INSERT INTO staff_access_grants ({GrantColumns}) VALUES ($id, $staff, $subject, $purpose, $why, $status, $requested, $approver, $decided, $expires) ON CONFLICT (id) DO NOTHING;";
            BindGrant(command, grant);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        }
    }

    /// <inheritdoc />
    public async Task<StaffAccessGrant?> GetGrantAsync(string grantId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grantId);
        var list = await QueryGrantsAsync($"SELECT {GrantColumns} FROM staff_access_grants WHERE id = $id;", c => c.Parameters.AddWithValue("$id", grantId), cancellationToken).ConfigureAwait(false);
        return list.Count == 0 ? null : list[0];
    }

    /// <inheritdoc />
    public async Task<bool> DecideGrantAsync(StaffAccessGrant decided, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decided);
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // Compare-and-set on the pending status: two approvers deciding at once cannot both win.
            using var command = connection.CreateCommand();
            command.CommandText = """
                UPDATE staff_access_grants SET status = $status, approver_id = $approver, decided_at = $decided, expires_at = $expires
                WHERE id = $id AND status = 'Pending';
                """;
            BindGrant(command, decided);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StaffAccessGrant>> ListGrantsAsync(string staffId, string subjectId, CancellationToken cancellationToken = default) =>
        QueryGrantsAsync($"SELECT {GrantColumns} FROM staff_access_grants WHERE staff_id = $staff AND subject_id = $subject ORDER BY requested_at DESC, id;", c =>
        {
            c.Parameters.AddWithValue("$staff", staffId);
            c.Parameters.AddWithValue("$subject", subjectId);
        }, cancellationToken);

    private static void BindGrant(SqliteCommand command, StaffAccessGrant grant)
    {
        command.Parameters.AddWithValue("$id", grant.Id);
        command.Parameters.AddWithValue("$staff", grant.StaffId);
        command.Parameters.AddWithValue("$subject", grant.SubjectId);
        command.Parameters.AddWithValue("$purpose", grant.Purpose);
        command.Parameters.AddWithValue("$why", grant.Justification);
        command.Parameters.AddWithValue("$status", grant.Status.ToString());
        command.Parameters.AddWithValue("$requested", FormatInstant(grant.RequestedAt));
        command.Parameters.AddWithValue("$approver", (object?)grant.ApproverId ?? DBNull.Value);
        command.Parameters.AddWithValue("$decided", grant.DecidedAt is { } d ? FormatInstant(d) : DBNull.Value);
        command.Parameters.AddWithValue("$expires", grant.ExpiresAt is { } e ? FormatInstant(e) : DBNull.Value);
    }

    private async Task<IReadOnlyList<StaffAccessGrant>> QueryGrantsAsync(string sql, Action<SqliteCommand> bind, CancellationToken cancellationToken)
    {
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            bind(command);
            var list = new List<StaffAccessGrant>();
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    list.Add(new StaffAccessGrant(
                        reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                        Enum.Parse<StaffAccessStatus>(reader.GetString(5)),
                        ParseInstant(reader.GetString(6)),
                        reader.IsDBNull(7) ? null : reader.GetString(7),
                        reader.IsDBNull(8) ? null : ParseInstant(reader.GetString(8)),
                        reader.IsDBNull(9) ? null : ParseInstant(reader.GetString(9))));
                }
            }

            return list;
        }
    }
}
