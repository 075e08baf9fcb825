using TeenMode.ParentalControl;
using TeenMode.Postgres.Internal;

namespace TeenMode.Postgres.ParentalControl;

/// <summary>
/// Guardian-verification lockouts in PostgreSQL: failures per subject across every device and app instance.
/// </summary>
/// <remarks>
/// Reserving an attempt runs under a per-subject transaction-scoped advisory lock: the first attempt has no row to lock,
/// and the next state is the core's rule (<see cref="GuardianLockState.AfterAttempt"/>), not SQL. So the read, the
/// decision and the write are one step, and a hundred parallel wrong PINs reserve exactly the limit.
/// </remarks>
public sealed class PostgresGuardianLockoutStore(PostgresDatabase database) : IGuardianLockoutStore
{
    private const string ReadSql = "SELECT failures, locked_until, locked_until_tick FROM guardian_lockouts WHERE subject_id = @subject;";

    /// <inheritdoc />
    public async Task<GuardianLockState> GetLockAsync(string subjectId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subjectId);
        var rows = await database.QueryAsync(ReadSql, c => c.Text("subject", subjectId), Read, cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? GuardianLockState.Clear : rows[0];
    }

    /// <inheritdoc />
    public Task<GuardianAttemptReservation> TryReserveAttemptAsync(string subjectId, DateTimeOffset at, int maxFailures, TimeSpan lockFor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subjectId);
        return database.InTransactionAsync(async (session, ct) =>
        {
            await session.LockAsync(LockScope.Lockout, subjectId, ct).ConfigureAwait(false);
            var state = await session.QuerySingleAsync(ReadSql, c => c.Text("subject", subjectId), Read, ct).ConfigureAwait(false) ?? GuardianLockState.Clear;
            if (state.IsLocked(at))
            {
                return new GuardianAttemptReservation(false, state);
            }

            var next = GuardianLockState.AfterAttempt(state, at, maxFailures, lockFor);
            await session.ExecuteAsync("""
                INSERT INTO guardian_lockouts (subject_id, failures, locked_until, locked_until_tick) VALUES (@subject, @failures, @until, @until_tick)
                ON CONFLICT (subject_id) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until, locked_until_tick = excluded.locked_until_tick;
                """,
                c => c.Text("subject", subjectId).Int("failures", next.Failures).Instant("until", next.LockedUntil), ct).ConfigureAwait(false);
            return new GuardianAttemptReservation(true, next);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task ClearFailuresAsync(string subjectId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subjectId);
        await database.ExecuteAsync("DELETE FROM guardian_lockouts WHERE subject_id = @subject;", c => c.Text("subject", subjectId), cancellationToken).ConfigureAwait(false);
    }

    private static GuardianLockState Read(Npgsql.NpgsqlDataReader r) => new(r.GetInt32(0), r.GetInstantOrNull(1));
}
