using Microsoft.Data.Sqlite;
using TeenMode.Subjects;
using TeenMode.Sqlite.Internal;
using static TeenMode.Sqlite.Internal.SqliteValues;

namespace TeenMode.Sqlite;

/// <summary>Subjects in the shared SQLite file.</summary>
/// <param name="database">The SQLite file the app's stores share.</param>
public sealed class SqliteSubjectStore(SqliteDatabase database) : ISubjectStore
{
    private readonly SqliteDatabase _database = database ?? throw new ArgumentNullException(nameof(database));

    private const string SubjectColumns = "id, birth_date, declared_band, age_source, teen_mode, created_at";

    /// <inheritdoc />
    public async Task<bool> TryAddAsync(Subject subject, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"INSERT INTO subjects ({SubjectColumns}) VALUES ($id, $birth, $band, $source, $teen, $created) ON CONFLICT (id) DO NOTHING;";
            command.Parameters.AddWithValue("$id", subject.Id);
            command.Parameters.AddWithValue("$birth", subject.BirthDate is { } birth ? FormatDate(birth) : DBNull.Value);
            command.Parameters.AddWithValue("$band", subject.DeclaredBand is { } band ? band.Id : DBNull.Value);
            command.Parameters.AddWithValue("$source", subject.AgeSource.ToString());
            command.Parameters.AddWithValue("$teen", subject.TeenMode);
            command.Parameters.AddWithValue("$created", FormatInstant(subject.CreatedAt));
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        }
    }

    /// <inheritdoc />
    public async Task<Subject?> GetAsync(string subjectId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subjectId);
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {SubjectColumns} FROM subjects WHERE id = $id;";
            command.Parameters.AddWithValue("$id", subjectId);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadSubject(reader) : null;
            }
        }
    }

    /// <inheritdoc />
    public async Task<bool> SetTeenModeAsync(string subjectId, bool teenMode, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subjectId);
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE subjects SET teen_mode = $teen WHERE id = $id;";
            command.Parameters.AddWithValue("$id", subjectId);
            command.Parameters.AddWithValue("$teen", teenMode);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        }
    }

    private static Subject ReadSubject(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.IsDBNull(1) ? null : ParseDate(reader.GetString(1)),
        reader.IsDBNull(2) ? null : ParseBand(reader.GetString(2)),
        Enum.Parse<AgeSource>(reader.GetString(3)),
        reader.GetBoolean(4),
        ParseInstant(reader.GetString(5)));
}
