using Npgsql;
using TeenMode.Postgres.Internal;
using TeenMode.Subjects;

namespace TeenMode.Postgres.Subjects;

/// <summary>Subjects (minors' profiles) in PostgreSQL.</summary>
public sealed class PostgresSubjectStore(PostgresDatabase database) : ISubjectStore
{
    private const string Columns = "id, birth_date, declared_band, age_source, teen_mode, created_at, created_at_tick";

    /// <inheritdoc />
    public async Task<bool> TryAddAsync(Subject subject, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subject);
        return await database.ExecuteAsync($"""
            INSERT INTO subjects ({Columns}) VALUES (@id, @birth, @band, @source, @teen, @created, @created_tick)
            ON CONFLICT (id) DO NOTHING;
            """,
            c => c.Text("id", subject.Id).Date("birth", subject.BirthDate).Text("band", subject.DeclaredBand?.Id)
                .Text("source", subject.AgeSource.ToString()).Bool("teen", subject.TeenMode).Instant("created", subject.CreatedAt),
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
        return await database.ExecuteAsync("UPDATE subjects SET teen_mode = @teen WHERE id = @id;",
            c => c.Text("id", subjectId).Bool("teen", teenMode), cancellationToken).ConfigureAwait(false) == 1;
    }

    private static Subject Read(NpgsqlDataReader r) => new(
        r.GetString(0),
        r.IsDBNull(1) ? null : r.GetFieldValue<DateOnly>(1),
        r.IsDBNull(2) ? null : Bands.Parse(r.GetString(2)),
        Enum.Parse<AgeSource>(r.GetString(3)),
        r.GetBoolean(4),
        r.GetInstant(5));
}
