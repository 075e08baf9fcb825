using Npgsql;
using TeenMode.ParentalControl;
using TeenMode.Postgres.Internal;

namespace TeenMode.Postgres.ParentalControl;

/// <summary>Guardian bindings (with their PIN hashes) in PostgreSQL.</summary>
public sealed class PostgresGuardianStore(PostgresDatabase database) : IGuardianStore
{
    private const string Columns = "subject_id, guardian_id, pin_salt, pin_hash, pin_iterations, bound_at, bound_at_tick";

    /// <inheritdoc />
    public async Task SaveAsync(GuardianBinding binding, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(binding);
        ArgumentNullException.ThrowIfNull(binding.Pin);
        await database.ExecuteAsync($"""
            INSERT INTO guardians ({Columns}) VALUES (@subject, @guardian, @salt, @hash, @iterations, @bound, @bound_tick)
            ON CONFLICT (subject_id, guardian_id) DO UPDATE SET
                pin_salt = excluded.pin_salt, pin_hash = excluded.pin_hash, pin_iterations = excluded.pin_iterations,
                bound_at = excluded.bound_at, bound_at_tick = excluded.bound_at_tick;
            """,
            c => c.Text("subject", binding.SubjectId).Text("guardian", binding.GuardianId).Bytes("salt", binding.Pin.Salt).Bytes("hash", binding.Pin.Hash)
                .Int("iterations", binding.Pin.Iterations).Instant("bound", binding.BoundAt),
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<GuardianBinding>> GetForSubjectAsync(string subjectId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subjectId);
        var bindings = await database.QueryAsync($"SELECT {Columns} FROM guardians WHERE subject_id = @value;", c => c.Text("value", subjectId), Read, cancellationToken).ConfigureAwait(false);

        // The contract is .NET ordinal (UTF-16) order, which no PostgreSQL collation gives for every character; the lists are short.
        bindings.Sort(static (a, b) => string.CompareOrdinal(a.GuardianId, b.GuardianId));
        return bindings;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<GuardianBinding>> GetForGuardianAsync(string guardianId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(guardianId);
        var bindings = await database.QueryAsync($"SELECT {Columns} FROM guardians WHERE guardian_id = @value;", c => c.Text("value", guardianId), Read, cancellationToken).ConfigureAwait(false);
        bindings.Sort(static (a, b) => string.CompareOrdinal(a.SubjectId, b.SubjectId));
        return bindings;
    }

    /// <inheritdoc />
    public async Task<bool> RemoveAsync(string subjectId, string guardianId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subjectId);
        ArgumentNullException.ThrowIfNull(guardianId);
        return await database.ExecuteAsync("DELETE FROM guardians WHERE subject_id = @subject AND guardian_id = @guardian;",
            c => c.Text("subject", subjectId).Text("guardian", guardianId), cancellationToken).ConfigureAwait(false) == 1;
    }

    private static GuardianBinding Read(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetString(1), new PinHash(r.GetFieldValue<byte[]>(2), r.GetFieldValue<byte[]>(3), r.GetInt32(4)), r.GetInstant(5));
}
