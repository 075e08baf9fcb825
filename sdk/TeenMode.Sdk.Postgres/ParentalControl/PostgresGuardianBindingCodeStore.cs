using TeenMode.ParentalControl;
using TeenMode.Postgres.Internal;

namespace TeenMode.Postgres.ParentalControl;

/// <summary>One-time guardian binding codes (hashed) in PostgreSQL.</summary>
public sealed class PostgresGuardianBindingCodeStore(PostgresDatabase database) : IGuardianBindingCodeStore
{
    /// <inheritdoc />
    public async Task SaveBindingCodeAsync(string subjectId, byte[] codeHash, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subjectId);
        ArgumentNullException.ThrowIfNull(codeHash);
        await database.ExecuteAsync("""
            INSERT INTO guardian_binding_codes (subject_id, code_hash, expires_at, expires_at_tick) VALUES (@subject, @hash, @expires, @expires_tick)
            ON CONFLICT (subject_id, code_hash) DO UPDATE SET expires_at = excluded.expires_at, expires_at_tick = excluded.expires_at_tick;
            """,
            c => c.Text("subject", subjectId).Bytes("hash", codeHash).Instant("expires", expiresAt), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<bool> TryConsumeBindingCodeAsync(string subjectId, byte[] codeHash, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subjectId);
        ArgumentNullException.ThrowIfNull(codeHash);

        // One DELETE … RETURNING: of two devices redeeming the same code at once, only one gets the row; an expired code is deleted too.
        var expires = await database.QueryAsync("DELETE FROM guardian_binding_codes WHERE subject_id = @subject AND code_hash = @hash RETURNING expires_at, expires_at_tick;",
            c => c.Text("subject", subjectId).Bytes("hash", codeHash), r => r.GetInstant(0), cancellationToken).ConfigureAwait(false);
        return expires.Count == 1 && now < expires[0];
    }
}
