using Microsoft.Data.Sqlite;
using TeenMode.Reporting;
using TeenMode.Sqlite.Internal;
using static TeenMode.Sqlite.Internal.SqliteValues;

namespace TeenMode.Sqlite;

/// <summary>
/// The <c>reports</c> row, written and read the same way by <see cref="SqliteReportStore"/> (plain reports) and
/// <see cref="SqliteReportWorkflowStore"/> (reports filed with their tracking): both own reports in one table.
/// </summary>
internal static class SqliteReportRows
{
    public const string Columns =
        "id, idempotency_key, request_hash, reporter_kind, reporter_id, category, target_kind, target_id, description, status, received_at";

    // The idempotency key decides: a second report under the same key inserts nothing and the first one is returned.
    public const string InsertSql = $"""
        INSERT INTO reports ({Columns})
        VALUES ($id, $key, $hash, $reporterKind, $reporterId, $category, $targetKind, $targetId, $description, $status, $received)
        ON CONFLICT (idempotency_key) DO NOTHING;
        """;

    private const string DescriptionField = "report.description";

    public static void Bind(SqliteParameterCollection p, ReportRecord record, SqliteFreeText freeText)
    {
        var s = record.Submission;
        p.AddWithValue("$id", record.Id);
        p.AddWithValue("$key", record.IdempotencyKey);
        p.AddWithValue("$hash", record.RequestHash);
        p.AddWithValue("$reporterKind", s.ReporterKind.ToString());
        p.AddWithValue("$reporterId", (object?)s.ReporterId ?? DBNull.Value);
        p.AddWithValue("$category", s.Category.ToString());
        p.AddWithValue("$targetKind", s.TargetKind);
        p.AddWithValue("$targetId", s.TargetId);
        p.AddWithValue("$description", freeText.Seal(record.Id, DescriptionField, s.Description));
        p.AddWithValue("$status", record.Status.ToString());
        p.AddWithValue("$received", FormatInstant(record.ReceivedAt));
    }

    public static ReportRecord Read(SqliteDataReader reader, SqliteFreeText freeText) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        new ReportSubmission(
            Enum.Parse<ReporterKind>(reader.GetString(3)),
            reader.IsDBNull(4) ? null : reader.GetString(4),
            Enum.Parse<ReportCategory>(reader.GetString(5)),
            reader.GetString(6),
            reader.GetString(7),
            freeText.Open(reader.GetString(0), DescriptionField, reader.IsDBNull(8) ? null : reader.GetString(8))),
        Enum.Parse<ReportStatus>(reader.GetString(9)),
        ParseInstant(reader.GetString(10)));
}
