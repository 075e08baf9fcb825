using Npgsql;
using TeenMode.PersonalInfo;
using TeenMode.Postgres.Internal;

namespace TeenMode.Postgres.PersonalInfo;

/// <summary>Staff access grants to a minor's personal data (request, approval, expiry) in PostgreSQL.</summary>
public sealed class PostgresStaffAccessStore(PostgresDatabase database) : IStaffAccessStore
{
    private const string Columns =
        "id, staff_id, subject_id, purpose, justification, status, requested_at, requested_at_tick, approver_id, decided_at, decided_at_tick, expires_at, expires_at_tick";

    /// <inheritdoc />
    public async Task<bool> AddGrantAsync(StaffAccessGrant grant, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grant);
        return await database.ExecuteAsync($"""
            INSERT INTO staff_access_grants ({Columns})
            VALUES (@id, @staff, @subject, @purpose, @why, @status, @requested, @requested_tick, @approver, @decided, @decided_tick, @expires, @expires_tick)
            ON CONFLICT (subject_id, id) DO NOTHING;
            """, c => Bind(c, grant), cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async Task<StaffAccessGrant?> GetGrantAsync(string grantId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grantId);
        var rows = await database.QueryAsync($"SELECT {Columns} FROM staff_access_grants WHERE id = @id;", c => c.Text("id", grantId), Read, cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <inheritdoc />
    public async Task<bool> DecideGrantAsync(StaffAccessGrant decided, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decided);

        // Compare-and-set on the pending status: two approvers deciding at once cannot both win.
        return await database.ExecuteAsync("""
            UPDATE staff_access_grants SET status = @status, approver_id = @approver, decided_at = @decided, decided_at_tick = @decided_tick,
                expires_at = @expires, expires_at_tick = @expires_tick
            WHERE id = @id AND status = 'Pending';
            """, c => Bind(c, decided), cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StaffAccessGrant>> ListGrantsAsync(string staffId, string subjectId, CancellationToken cancellationToken = default) =>
        await database.QueryAsync($"""
            SELECT {Columns} FROM staff_access_grants WHERE staff_id = @staff AND subject_id = @subject
            ORDER BY requested_at DESC, requested_at_tick DESC, id COLLATE "C";
            """,
            c => c.Text("staff", staffId).Text("subject", subjectId), Read, cancellationToken).ConfigureAwait(false);

    private static void Bind(NpgsqlCommand command, StaffAccessGrant grant) =>
        command.Text("id", grant.Id).Text("staff", grant.StaffId).Text("subject", grant.SubjectId).Text("purpose", grant.Purpose).Text("why", grant.Justification)
            .Text("status", grant.Status.ToString()).Instant("requested", grant.RequestedAt).Text("approver", grant.ApproverId)
            .Instant("decided", grant.DecidedAt).Instant("expires", grant.ExpiresAt);

    private static StaffAccessGrant Read(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), Enum.Parse<StaffAccessStatus>(r.GetString(5)),
        r.GetInstant(6), r.GetStringOrNull(8), r.GetInstantOrNull(9), r.GetInstantOrNull(11));
}
