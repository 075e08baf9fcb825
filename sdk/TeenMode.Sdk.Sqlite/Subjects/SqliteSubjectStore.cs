using System.Text.Json;
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
    private const string ReadColumns = SubjectColumns + ", real_name_status, real_name_pi, minor_mode_devices, real_name_birth_date";

    /// <inheritdoc />
    public async Task<bool> TryAddAsync(Subject subject, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"INSERT INTO subjects ({ReadColumns}) VALUES ($id, $birth, $band, $source, $teen, $created, $real_name, $pi, $devices, $real_name_birth) ON CONFLICT (id) DO NOTHING;";
            command.Parameters.AddWithValue("$id", subject.Id);
            command.Parameters.AddWithValue("$birth", subject.BirthDate is { } birth ? FormatDate(birth) : DBNull.Value);
            command.Parameters.AddWithValue("$band", subject.DeclaredBand is { } band ? band.Id : DBNull.Value);
            command.Parameters.AddWithValue("$source", subject.AgeSource.ToString());
            command.Parameters.AddWithValue("$teen", subject.TeenMode);
            command.Parameters.AddWithValue("$created", FormatInstant(subject.CreatedAt));
            command.Parameters.AddWithValue("$real_name", subject.RealName.ToString());
            command.Parameters.AddWithValue("$pi", (object?)subject.RealNamePlayerId ?? DBNull.Value);
            command.Parameters.AddWithValue("$devices", JsonSerializer.Serialize(subject.MinorModeDevices));
            command.Parameters.AddWithValue("$real_name_birth", subject.RealNameBirthDate is { } claimed ? FormatDate(claimed) : DBNull.Value);
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
            command.CommandText = $"SELECT {ReadColumns} FROM subjects WHERE id = $id;";
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
        return await _database.ExecuteAsync(
            "UPDATE subjects SET teen_mode = $teen WHERE id = $id AND ($teen OR minor_mode_devices = '[]');",
            p =>
            {
                p.AddWithValue("$id", subjectId);
                p.AddWithValue("$teen", teenMode);
            },
            cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async Task<bool> SetAgeAsync(string subjectId, DateOnly? birthDate, AgeBand? declaredBand, AgeSource source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subjectId);
        return await _database.ExecuteAsync(
            "UPDATE subjects SET birth_date = $birth, declared_band = $band, age_source = $source WHERE id = $id;",
            p =>
            {
                p.AddWithValue("$id", subjectId);
                p.AddWithValue("$birth", birthDate is { } birth ? FormatDate(birth) : DBNull.Value);
                p.AddWithValue("$band", declaredBand is { } band ? band.Id : DBNull.Value);
                p.AddWithValue("$source", source.ToString());
            },
            cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async Task<bool> SetRealNameAsync(string subjectId, RealNameStatus status, string? playerId, DateOnly? birthDate,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subjectId);
        var setsBirth = status == RealNameStatus.Verified && birthDate is not null;
        return await _database.ExecuteAsync(
            "UPDATE subjects SET real_name_status = $status, real_name_pi = $pi, real_name_birth_date = $birth" +
            (setsBirth ? ", birth_date = $birth, declared_band = NULL, age_source = 'RealNameVerified'" : string.Empty) +
            " WHERE id = $id AND (real_name_status <> 'Verified' OR $status = 'Verified');",
            p =>
            {
                p.AddWithValue("$id", subjectId);
                p.AddWithValue("$status", status.ToString());
                p.AddWithValue("$pi", (object?)playerId ?? DBNull.Value);
                p.AddWithValue("$birth", birthDate is { } birth ? FormatDate(birth) : DBNull.Value);
            },
            cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async Task<bool> SetDeviceMinorModeAsync(string subjectId, string deviceId, bool minorModeOn, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subjectId);
        ArgumentNullException.ThrowIfNull(deviceId);

        // One statement each way, so two devices reporting at once cannot lose either report.
        var sql = minorModeOn
            ? """
              UPDATE subjects SET teen_mode = 1, minor_mode_devices =
                  CASE WHEN EXISTS (SELECT 1 FROM json_each(subjects.minor_mode_devices) WHERE value = $device)
                       THEN minor_mode_devices ELSE json_insert(minor_mode_devices, '$[#]', $device) END
              WHERE id = $id;
              """
            : """
              UPDATE subjects SET minor_mode_devices =
                  (SELECT json_group_array(value) FROM json_each(subjects.minor_mode_devices) WHERE value <> $device)
              WHERE id = $id;
              """;
        return await _database.ExecuteAsync(sql, p =>
        {
            p.AddWithValue("$id", subjectId);
            p.AddWithValue("$device", deviceId);
        }, cancellationToken).ConfigureAwait(false) == 1;
    }

    private static Subject ReadSubject(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.IsDBNull(1) ? null : ParseDate(reader.GetString(1)),
        reader.IsDBNull(2) ? null : ParseBand(reader.GetString(2)),
        Enum.Parse<AgeSource>(reader.GetString(3)),
        reader.GetBoolean(4),
        ParseInstant(reader.GetString(5)))
    {
        RealName = Enum.Parse<RealNameStatus>(reader.GetString(6)),
        RealNamePlayerId = reader.IsDBNull(7) ? null : reader.GetString(7),
        MinorModeDevices = ReadDevices(reader.GetString(8)),
        RealNameBirthDate = reader.IsDBNull(9) ? null : ParseDate(reader.GetString(9)),
    };

    private static string[] ReadDevices(string json) =>
        json == "[]" ? [] : JsonSerializer.Deserialize<string[]>(json) ?? [];
}
