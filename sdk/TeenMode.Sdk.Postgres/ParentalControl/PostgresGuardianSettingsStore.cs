using TeenMode.ParentalControl;
using TeenMode.Postgres.Internal;

namespace TeenMode.Postgres.ParentalControl;

/// <summary>Guardian settings in PostgreSQL, saved with optimistic versions (compare-and-set on the version).</summary>
public sealed class PostgresGuardianSettingsStore(PostgresDatabase database) : IGuardianSettingsStore
{
    /// <inheritdoc />
    public async Task<GuardianSettings?> GetSettingsAsync(string subjectId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subjectId);
        var rows = await database.QueryAsync("SELECT version, body, updated_at, updated_at_tick FROM guardian_settings WHERE subject_id = @subject;",
            c => c.Text("subject", subjectId),
            r => GuardianSettings.FromJson(subjectId, r.GetInt64(0), r.GetInstantOrNull(2), r.GetString(1)), cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <inheritdoc />
    public async Task<bool> TrySaveSettingsAsync(GuardianSettings settings, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Version != expectedVersion + 1)
        {
            throw new ArgumentException($"The new version must be {expectedVersion + 1}.", nameof(settings));
        }

        var sql = expectedVersion == 0
            ? "INSERT INTO guardian_settings (subject_id, version, body, updated_at, updated_at_tick) VALUES (@subject, @version, @body, @updated, @updated_tick) ON CONFLICT (subject_id) DO NOTHING;"
            : "UPDATE guardian_settings SET version = @version, body = @body, updated_at = @updated, updated_at_tick = @updated_tick WHERE subject_id = @subject AND version = @expected;";
        return await database.ExecuteAsync(sql,
            c => c.Text("subject", settings.SubjectId).Long("version", settings.Version).Long("expected", expectedVersion).Text("body", settings.ToJson())
                .Instant("updated", settings.UpdatedAt),
            cancellationToken).ConfigureAwait(false) == 1;
    }
}
