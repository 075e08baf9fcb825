using Npgsql;
using TeenMode.PersonalInfo;
using TeenMode.Reporting;

namespace TeenMode.Postgres.Internal;

/// <summary>The <c>reports</c> table, shared by the report store and the workflow store (both file reports).</summary>
internal sealed class ReportRows(FreeTextSealer freeText)
{
    public const string Columns =
        "id, idempotency_key, request_hash, reporter_kind, reporter_id, category, target_kind, target_id, description, status, received_at, received_at_tick";

    private const string DescriptionField = "report.description";

    /// <summary>
    /// Inserts the report unless its idempotency key is taken; then reads the stored one. A concurrent filer with the same
    /// key waits on the unique index for the first transaction and then inserts nothing, so exactly one is created.
    /// </summary>
    public async Task<(ReportRecord Stored, bool Created)> InsertOrGetAsync(PgSession session, ReportRecord record, CancellationToken cancellationToken)
    {
        var s = record.Submission;
        var inserted = await session.ExecuteAsync($"""
            INSERT INTO reports ({Columns})
            VALUES (@id, @key, @hash, @reporter_kind, @reporter_id, @category, @target_kind, @target_id, @description, @status, @received, @received_tick)
            ON CONFLICT (idempotency_key) DO NOTHING;
            """,
            c => c.Text("id", record.Id).Text("key", record.IdempotencyKey).Text("hash", record.RequestHash)
                .Text("reporter_kind", s.ReporterKind.ToString()).Text("reporter_id", s.ReporterId).Text("category", s.Category.ToString())
                .Text("target_kind", s.TargetKind).Text("target_id", s.TargetId).Text("description", freeText.Seal(record.Id, DescriptionField, s.Description))
                .Text("status", record.Status.ToString()).Instant("received", record.ReceivedAt),
            cancellationToken).ConfigureAwait(false) == 1;
        if (inserted)
        {
            return (record, true);
        }

        var stored = await session.QuerySingleAsync($"SELECT {Columns} FROM reports WHERE idempotency_key = @key;", c => c.Text("key", record.IdempotencyKey), Read, cancellationToken)
            .ConfigureAwait(false) ?? throw new InvalidOperationException("A report with this idempotency key conflicted but cannot be read.");
        return (stored, false);
    }

    /// <summary>Reads a row selected with <see cref="Columns"/> first.</summary>
    public ReportRecord Read(NpgsqlDataReader r) => new(
        r.GetString(0),
        r.GetString(1),
        r.GetString(2),
        new ReportSubmission(
            Enum.Parse<ReporterKind>(r.GetString(3)),
            r.GetStringOrNull(4),
            Enum.Parse<ReportCategory>(r.GetString(5)),
            r.GetString(6),
            r.GetString(7),
            freeText.Open(r.GetString(0), DescriptionField, r.GetStringOrNull(8))),
        Enum.Parse<ReportStatus>(r.GetString(9)),
        r.GetInstant(10));
}
