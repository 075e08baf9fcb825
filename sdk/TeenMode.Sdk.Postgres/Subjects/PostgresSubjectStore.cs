using Npgsql;
using TeenMode.Postgres.Internal;
using TeenMode.Subjects;

namespace TeenMode.Postgres.Subjects;

/// <summary>Subjects (minors' profiles) in PostgreSQL.</summary>
public sealed class PostgresSubjectStore(PostgresDatabase database) : ISubjectStore
{
    private const string Columns = "id, birth_date, declared_band, age_source, teen_mode, created_at, created_at_tick, real_name_status, real_name_pi, minor_mode_devices, real_name_birth_date";

    /// <inheritdoc />
    public async Task<bool> TryAddAsync(Subject subject, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subject);
        return await database.ExecuteAsync($"""
            INSERT INTO subjects ({Columns}) VALUES (@id, @birth, @band, @source, @teen, @created, @created_tick, @real_name, @pi, @devices, @real_name_birth)
            ON CONFLICT (id) DO NOTHING;
            """,
            c => c.Text("id", subject.Id).Date("birth", subject.BirthDate).Text("band", subject.DeclaredBand?.Id)
                .Text("source", subject.AgeSource.ToString()).Bool("teen", subject.TeenMode).Instant("created", subject.CreatedAt)
                .Text("real_name", subject.RealName.ToString()).Text("pi", subject.RealNamePlayerId).TextArray("devices", [.. subject.MinorModeDevices])
                .Date("real_name_birth", subject.RealNameBirthDate),
            cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async Task<Subject?> GetAsync(string subjectId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subjectId);
        var rows = await database.QueryAsync($"SELECT {Columns} FROM subjects WHERE id = @id;", c => c.Text("id", subjectId), Read, cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <inheritdoc />
    public async Task<bool> SetTeenModeAsync(string subjectId, bool teenMode, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subjectId);
        return await database.ExecuteAsync(
            "UPDATE subjects SET teen_mode = @teen WHERE id = @id AND (@teen OR cardinality(minor_mode_devices) = 0);",
            c => c.Text("id", subjectId).Bool("teen", teenMode), cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async Task<bool> SetAgeAsync(string subjectId, DateOnly? birthDate, AgeBand? declaredBand, AgeSource source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subjectId);
        return await database.ExecuteAsync("UPDATE subjects SET birth_date = @birth, declared_band = @band, age_source = @source WHERE id = @id;",
            c => c.Text("id", subjectId).Date("birth", birthDate).Text("band", declaredBand?.Id).Text("source", source.ToString()),
            cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async Task<bool> SetRealNameAsync(string subjectId, RealNameStatus status, string? playerId, DateOnly? birthDate,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subjectId);
        var setsBirth = status == RealNameStatus.Verified && birthDate is not null;
        return await database.ExecuteAsync(
            "UPDATE subjects SET real_name_status = @status, real_name_pi = @pi, real_name_birth_date = @birth" +
            (setsBirth ? ", birth_date = @birth, declared_band = NULL, age_source = 'RealNameVerified'" : string.Empty) +
            " WHERE id = @id AND (real_name_status <> 'Verified' OR @status = 'Verified');",
            c => c.Text("id", subjectId).Text("status", status.ToString()).Text("pi", playerId).Date("birth", birthDate),
            cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async Task<bool> SetDeviceMinorModeAsync(string subjectId, string deviceId, bool minorModeOn, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subjectId);
        ArgumentNullException.ThrowIfNull(deviceId);

        // One statement each way (the row lock orders them), so two devices reporting at once cannot lose either report.
        var sql = minorModeOn
            ? """
              UPDATE subjects SET teen_mode = true, minor_mode_devices =
                  CASE WHEN @device = ANY (minor_mode_devices) THEN minor_mode_devices ELSE array_append(minor_mode_devices, @device) END
              WHERE id = @id;
              """
            : "UPDATE subjects SET minor_mode_devices = array_remove(minor_mode_devices, @device) WHERE id = @id;";
        return await database.ExecuteAsync(sql, c => c.Text("id", subjectId).Text("device", deviceId), cancellationToken).ConfigureAwait(false) == 1;
    }

    private static Subject Read(NpgsqlDataReader r) => new(
        r.GetString(0),
        r.IsDBNull(1) ? null : r.GetFieldValue<DateOnly>(1),
        r.IsDBNull(2) ? null : Bands.Parse(r.GetString(2)),
        Enum.Parse<AgeSource>(r.GetString(3)),
        r.GetBoolean(4),
        r.GetInstant(5))
    {
        RealName = Enum.Parse<RealNameStatus>(r.GetString(7)),
        RealNamePlayerId = r.IsDBNull(8) ? null : r.GetString(8),
        MinorModeDevices = r.GetFieldValue<string[]>(9) is { Length: > 0 } devices ? devices : [],
        RealNameBirthDate = r.IsDBNull(10) ? null : r.GetFieldValue<DateOnly>(10),
    };
}
