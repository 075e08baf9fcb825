using Microsoft.Data.Sqlite;
using TeenMode.ContentPool;
using TeenMode.Sqlite;
using TeenMode.Subjects;

namespace TeenMode.Tests.Stores;

/// <summary>A file written by the SQLite store before numbered migrations opens with the new stores, data intact.</summary>
public sealed class SqliteUpgradeTests : IDisposable
{
    // The schema script of the store before migrations (SqliteTeenModeStore, schema version 1), copied verbatim:
    // every table by CREATE … IF NOT EXISTS, then PRAGMA user_version = 1. Never update it: it stands for files in the field.
    private const string OldSchema = """
        CREATE TABLE IF NOT EXISTS subjects (
            id            TEXT    NOT NULL PRIMARY KEY,
            birth_date    TEXT    NULL,
            declared_band TEXT    NULL,
            age_source    TEXT    NOT NULL,
            teen_mode     INTEGER NOT NULL,
            created_at    TEXT    NOT NULL
        );
        CREATE TABLE IF NOT EXISTS usage_heartbeats (
            subject_id TEXT    NOT NULL,
            device_id  TEXT    NOT NULL,
            sequence   INTEGER NOT NULL,
            PRIMARY KEY (subject_id, device_id, sequence)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS usage_days (
            subject_id TEXT    NOT NULL,
            local_date TEXT    NOT NULL,
            seconds    INTEGER NOT NULL,
            PRIMARY KEY (subject_id, local_date)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS usage_continuity (
            subject_id         TEXT    NOT NULL PRIMARY KEY,
            continuous_seconds INTEGER NOT NULL,
            last_at            TEXT    NOT NULL
        );
        CREATE TABLE IF NOT EXISTS guardians (
            subject_id     TEXT    NOT NULL,
            guardian_id    TEXT    NOT NULL,
            pin_salt       BLOB    NOT NULL,
            pin_hash       BLOB    NOT NULL,
            pin_iterations INTEGER NOT NULL,
            bound_at       TEXT    NOT NULL,
            PRIMARY KEY (subject_id, guardian_id)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS content_items (
            id                TEXT    NOT NULL PRIMARY KEY,
            sort_key          BLOB    NOT NULL UNIQUE,
            title             TEXT    NOT NULL,
            category          TEXT    NOT NULL,
            bands             TEXT    NOT NULL,
            may_affect_minors INTEGER NOT NULL
        );
        CREATE TABLE IF NOT EXISTS reports (
            id              TEXT NOT NULL PRIMARY KEY,
            idempotency_key TEXT NOT NULL UNIQUE,
            request_hash    TEXT NOT NULL,
            reporter_kind   TEXT NOT NULL,
            reporter_id     TEXT NULL,
            category        TEXT NOT NULL,
            target_kind     TEXT NOT NULL,
            target_id       TEXT NOT NULL,
            description     TEXT NULL,
            status          TEXT NOT NULL,
            received_at     TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS audit_log (
            seq INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            subject_id TEXT NULL,
            target TEXT NULL,
            details TEXT NULL,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS audit_log_subject ON audit_log (subject_id, seq);
        CREATE TABLE IF NOT EXISTS report_tracking (
            report_id      TEXT    NOT NULL PRIMARY KEY,
            subject_id     TEXT    NULL,
            evidence       TEXT    NOT NULL,
            triage_due_at  TEXT    NOT NULL,
            resolve_due_at TEXT    NOT NULL,
            escalated      INTEGER NOT NULL
        );
        CREATE INDEX IF NOT EXISTS report_tracking_subject ON report_tracking (subject_id);
        CREATE INDEX IF NOT EXISTS reports_status ON reports (status, received_at);
        CREATE TABLE IF NOT EXISTS report_history (
            report_id   TEXT    NOT NULL,
            seq         INTEGER NOT NULL,
            from_status TEXT    NOT NULL,
            to_status   TEXT    NOT NULL,
            at          TEXT    NOT NULL,
            actor       TEXT    NOT NULL,
            reason      TEXT    NULL,
            PRIMARY KEY (report_id, seq)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS report_actions (
            report_id TEXT    NOT NULL,
            seq       INTEGER NOT NULL,
            kind      TEXT    NOT NULL,
            target_id TEXT    NOT NULL,
            at        TEXT    NOT NULL,
            actor     TEXT    NOT NULL,
            PRIMARY KEY (report_id, seq)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS authority_outbox (
            id              TEXT    NOT NULL PRIMARY KEY,
            report_id       TEXT    NOT NULL,
            idempotency_key TEXT    NOT NULL UNIQUE,
            payload         TEXT    NOT NULL,
            created_at      TEXT    NOT NULL,
            attempts        INTEGER NOT NULL,
            next_attempt_at TEXT    NOT NULL,
            delivered_at    TEXT    NULL,
            last_error      TEXT    NULL
        );
        CREATE INDEX IF NOT EXISTS authority_outbox_due ON authority_outbox (delivered_at, next_attempt_at);
        CREATE INDEX IF NOT EXISTS authority_outbox_report ON authority_outbox (report_id);
        CREATE TABLE IF NOT EXISTS content_item_attributes (
            id         TEXT    NOT NULL PRIMARY KEY,
            flags      INTEGER NOT NULL,
            format     TEXT    NOT NULL,
            popularity INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS guardian_lockouts (
            subject_id TEXT PRIMARY KEY,
            failures INTEGER NOT NULL,
            locked_until TEXT NULL
        );
        CREATE TABLE IF NOT EXISTS game_spend_months (
            subject_id      TEXT    NOT NULL,
            game_company_id TEXT    NOT NULL,
            month           TEXT    NOT NULL,
            minor_units     INTEGER NOT NULL,
            PRIMARY KEY (subject_id, game_company_id, month)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS game_top_up_keys (
            subject_id      TEXT    NOT NULL,
            idempotency_key TEXT    NOT NULL,
            game_company_id TEXT    NOT NULL,
            month           TEXT    NOT NULL,
            minor_units     INTEGER NOT NULL,
            added           INTEGER NOT NULL,
            total_after     INTEGER NOT NULL,
            PRIMARY KEY (subject_id, idempotency_key)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS blocked_attempts (
            subject_id TEXT NOT NULL,
            day TEXT NOT NULL,
            kind TEXT NOT NULL,
            reason TEXT NOT NULL,
            count INTEGER NOT NULL,
            PRIMARY KEY (subject_id, day, kind, reason)
        );
        CREATE TABLE IF NOT EXISTS spends (
            id              TEXT    NOT NULL PRIMARY KEY,
            subject_id      TEXT    NOT NULL,
            category        TEXT    NOT NULL,
            minor_units     INTEGER NOT NULL,
            currency        TEXT    NOT NULL,
            item_id         TEXT    NULL,
            spent_at        TEXT    NOT NULL,
            local_date      TEXT    NOT NULL,
            month           TEXT    NOT NULL,
            idempotency_key TEXT    NULL,
            refunded_at     TEXT    NULL
        );
        CREATE INDEX IF NOT EXISTS spends_by_month ON spends (subject_id, category, month);
        CREATE INDEX IF NOT EXISTS spends_by_time ON spends (subject_id, spent_at);
        CREATE UNIQUE INDEX IF NOT EXISTS spends_by_key ON spends (subject_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
        CREATE TABLE IF NOT EXISTS refund_requests (
            id              TEXT    NOT NULL PRIMARY KEY,
            spend_id        TEXT    NOT NULL UNIQUE,
            subject_id      TEXT    NOT NULL,
            guardian_id     TEXT    NOT NULL,
            reason          TEXT    NULL,
            minor_units     INTEGER NOT NULL,
            status          TEXT    NOT NULL,
            filed_at        TEXT    NOT NULL,
            due_at          TEXT    NOT NULL,
            decided_at      TEXT    NULL,
            decided_by      TEXT    NULL,
            decision_reason TEXT    NULL
        );
        CREATE INDEX IF NOT EXISTS refund_requests_by_subject ON refund_requests (subject_id, filed_at);
        CREATE TABLE IF NOT EXISTS staff_access_grants (
            id            TEXT NOT NULL PRIMARY KEY,
            staff_id      TEXT NOT NULL,
            subject_id    TEXT NOT NULL,
            purpose       TEXT NOT NULL,
            justification TEXT NOT NULL,
            status        TEXT NOT NULL,
            requested_at  TEXT NOT NULL,
            approver_id   TEXT NULL,
            decided_at    TEXT NULL,
            expires_at    TEXT NULL
        );
        CREATE INDEX IF NOT EXISTS staff_access_by_staff_subject ON staff_access_grants (staff_id, subject_id);
        CREATE TABLE IF NOT EXISTS breach_incidents (
            id          TEXT NOT NULL PRIMARY KEY,
            facts       TEXT NOT NULL,
            declared_by TEXT NOT NULL,
            declared_at TEXT NOT NULL,
            status      TEXT NOT NULL,
            notified_at TEXT NULL,
            reported_at TEXT NULL
        );
        CREATE TABLE IF NOT EXISTS breach_notices (
            seq            INTEGER PRIMARY KEY AUTOINCREMENT,
            id             TEXT NOT NULL UNIQUE,
            incident_id    TEXT NOT NULL,
            subject_id     TEXT NOT NULL,
            recipient_kind TEXT NOT NULL,
            recipient_id   TEXT NOT NULL,
            text_zh        TEXT NOT NULL,
            text_en        TEXT NOT NULL,
            created_at     TEXT NOT NULL,
            attempts       INTEGER NOT NULL,
            sent_at        TEXT NULL,
            last_error     TEXT NULL
        );
        CREATE INDEX IF NOT EXISTS breach_notices_by_incident ON breach_notices (incident_id);
        CREATE INDEX IF NOT EXISTS breach_notices_by_subject ON breach_notices (subject_id);
        CREATE TABLE IF NOT EXISTS guardian_binding_codes (
            subject_id TEXT NOT NULL,
            code_hash  BLOB NOT NULL,
            expires_at TEXT NOT NULL,
            PRIMARY KEY (subject_id, code_hash)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS guardian_settings (
            subject_id TEXT    NOT NULL PRIMARY KEY,
            version    INTEGER NOT NULL,
            body       TEXT    NOT NULL,
            updated_at TEXT    NULL
        );
        CREATE TABLE IF NOT EXISTS usage_category_days (
            subject_id TEXT    NOT NULL,
            local_date TEXT    NOT NULL,
            category   TEXT    NOT NULL,
            seconds    INTEGER NOT NULL,
            PRIMARY KEY (subject_id, local_date, category)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS guardians_by_guardian ON guardians (guardian_id, subject_id);
        CREATE TABLE IF NOT EXISTS pi_consents (
            id          TEXT NOT NULL PRIMARY KEY,
            subject_id  TEXT NOT NULL,
            guardian_id TEXT NOT NULL,
            decision    TEXT NOT NULL,
            purposes    TEXT NOT NULL,
            notice_hash TEXT NOT NULL,
            at          TEXT NOT NULL,
            seq         INTEGER NOT NULL
        );
        CREATE INDEX IF NOT EXISTS pi_consents_subject ON pi_consents (subject_id, seq);
        CREATE TABLE IF NOT EXISTS pi_values (
            subject_id   TEXT NOT NULL,
            field        TEXT NOT NULL,
            purpose      TEXT NOT NULL,
            category     TEXT NOT NULL,
            key_id       TEXT NULL,
            payload      BLOB NOT NULL,
            collected_at TEXT NOT NULL,
            expires_at   TEXT NOT NULL,
            PRIMARY KEY (subject_id, field, purpose)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS pi_values_expiry ON pi_values (expires_at);
        CREATE TABLE IF NOT EXISTS pi_requests (
            id            TEXT NOT NULL PRIMARY KEY,
            subject_id    TEXT NOT NULL,
            kind          TEXT NOT NULL,
            requester_id  TEXT NOT NULL,
            received_at   TEXT NOT NULL,
            due_at        TEXT NOT NULL,
            status        TEXT NOT NULL,
            completed_at  TEXT NULL,
            refusal_zh    TEXT NULL,
            refusal_en    TEXT NULL,
            field         TEXT NULL,
            purpose       TEXT NULL
        );
        PRAGMA user_version = 1;
        """;

    private static readonly DateTimeOffset Now = new(2026, 3, 6, 10, 0, 0, TimeSpan.FromHours(8));
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task FileFromBeforeMigrations_Upgrades_KeepsItsRowsAndAnswersBandQueriesInSql()
    {
        using (var connection = new SqliteConnection($"Data Source={_database.Path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = OldSchema + """
                INSERT INTO subjects (id, birth_date, declared_band, age_source, teen_mode, created_at)
                VALUES ('kid', '2014-02-28', NULL, 'SelfDeclared', 1, '2026-03-06T02:00:00.0000000+00:00');
                INSERT INTO content_items (id, sort_key, title, category, bands, may_affect_minors)
                VALUES ('v1', X'00760031', 'Stars', 'science', '8-12,12-16', 0), ('v2', X'00760032', 'Songs', 'music', '12-16', 0);
                INSERT INTO content_item_attributes (id, flags, format, popularity) VALUES ('v1', 0, 'audio', 7);
                """;
            command.ExecuteNonQuery();
        }

        await using var stores = TestStores.Sqlite(_database.Path);

        (await stores.Subjects.GetAsync("kid")).Should().Be(
            new Subject("kid", new DateOnly(2014, 2, 28), null, AgeSource.SelfDeclared, true, new DateTimeOffset(2026, 3, 6, 2, 0, 0, TimeSpan.Zero)));
        (await stores.Content.GetAsync("v1")).Should().BeEquivalentTo(
            new ContentItem("v1", "Stars", "science", [new AgeBand(8, 12), new AgeBand(12, 16)], Format: ContentFormat.Audio, Popularity: 7));
        (await stores.Content.QueryAsync(new ContentQuery(10) { ServableTo = new AgeBand(8, 12) })).Select(i => i.Id).Should().Equal("v1");
        (await stores.Content.QueryAsync(new ContentQuery(10) { ServableTo = new AgeBand(12, 16) })).Select(i => i.Id).Should().Equal("v1", "v2");

        var added = new Subject("kid-2", null, new AgeBand(12, 16), AgeSource.GuardianDeclared, true, Now);
        (await stores.Subjects.TryAddAsync(added)).Should().BeTrue();
        (await stores.Subjects.GetAsync("kid-2")).Should().Be(added, "the upgraded file takes new rows");
        ReadHistory().Should().Equal("1:0001_initial", "2:0002_content_query", "3:0003_age_assurance");
        ReadUserVersion().Should().Be(SqliteDatabase.SchemaVersion);
    }

    [Fact]
    public async Task Migrations_TwoDatabasesOpeningOneNewFileAtOnce_AreAppliedOnce()
    {
        using var first = new SqliteDatabase(_database.Path);
        using var second = new SqliteDatabase(_database.Path);

        await Task.WhenAll(Task.Run(() => first.MigrateAsync()), Task.Run(() => second.MigrateAsync()));
        await first.MigrateAsync();

        ReadHistory().Should().Equal("1:0001_initial", "2:0002_content_query", "3:0003_age_assurance");
    }

    private List<string> ReadHistory()
    {
        using var connection = new SqliteConnection($"Data Source={_database.Path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT version, name, applied_at FROM schema_history ORDER BY version;";
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            reader.GetString(2).Should().NotBeNullOrEmpty();
            rows.Add($"{reader.GetInt64(0)}:{reader.GetString(1)}");
        }

        return rows;
    }

    private long ReadUserVersion()
    {
        using var connection = new SqliteConnection($"Data Source={_database.Path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version;";
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
