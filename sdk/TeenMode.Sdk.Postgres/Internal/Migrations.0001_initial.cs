namespace TeenMode.Postgres.Internal;

internal static partial class Migrations
{
    // Conventions: an instant is a timestamptz (microseconds, UTC) plus a smallint <column>_tick holding the tenth of a
    // microsecond that PostgreSQL drops, so DateTimeOffset values (and the audit hashes computed over them) round-trip to the tick.
    // Money is numeric (exact, no float); content ids carry a bytea sort key in .NET ordinal (UTF-16) order.
    // Every per-subject table's primary key (and every unique key) starts with subject_id: it is the distribution key when
    // the schema is sharded (Citus, hash partitions), see docs/scaling.md. Look-ups by id alone use a plain index.
    private const string Initial0001 = """
        CREATE TABLE subjects (
            id               text     NOT NULL PRIMARY KEY,
            birth_date       date     NULL,
            declared_band    text     NULL,
            age_source       text     NOT NULL,
            teen_mode        boolean  NOT NULL,
            created_at       timestamptz NOT NULL,
            created_at_tick  smallint NOT NULL
        );

        CREATE TABLE usage_heartbeats (
            subject_id text   NOT NULL,
            device_id  text   NOT NULL,
            sequence   bigint NOT NULL,
            PRIMARY KEY (subject_id, device_id, sequence)
        );
        CREATE TABLE usage_days (
            subject_id text   NOT NULL,
            local_date date   NOT NULL,
            seconds    bigint NOT NULL,
            PRIMARY KEY (subject_id, local_date)
        );
        CREATE TABLE usage_category_days (
            subject_id text   NOT NULL,
            local_date date   NOT NULL,
            category   text   NOT NULL,
            seconds    bigint NOT NULL,
            PRIMARY KEY (subject_id, local_date, category)
        );
        CREATE TABLE usage_continuity (
            subject_id         text        NOT NULL PRIMARY KEY,
            continuous_seconds bigint      NOT NULL,
            last_at            timestamptz NULL,
            last_at_tick       smallint    NULL
        );

        CREATE TABLE guardians (
            subject_id     text        NOT NULL,
            guardian_id    text        NOT NULL,
            pin_salt       bytea       NOT NULL,
            pin_hash       bytea       NOT NULL,
            pin_iterations integer     NOT NULL,
            bound_at       timestamptz NOT NULL,
            bound_at_tick  smallint    NOT NULL,
            PRIMARY KEY (subject_id, guardian_id)
        );
        CREATE INDEX guardians_by_guardian ON guardians (guardian_id, subject_id);
        CREATE TABLE guardian_lockouts (
            subject_id        text        NOT NULL PRIMARY KEY,
            failures          integer     NOT NULL,
            locked_until      timestamptz NULL,
            locked_until_tick smallint    NULL
        );
        CREATE TABLE guardian_binding_codes (
            subject_id      text        NOT NULL,
            code_hash       bytea       NOT NULL,
            expires_at      timestamptz NOT NULL,
            expires_at_tick smallint    NOT NULL,
            PRIMARY KEY (subject_id, code_hash)
        );
        CREATE TABLE guardian_settings (
            subject_id      text        NOT NULL PRIMARY KEY,
            version         bigint      NOT NULL,
            body            text        NOT NULL,
            updated_at      timestamptz NULL,
            updated_at_tick smallint    NULL
        );
        CREATE TABLE blocked_attempts (
            subject_id text   NOT NULL,
            day        date   NOT NULL,
            kind       text   NOT NULL,
            reason     text   NOT NULL,
            count      bigint NOT NULL,
            PRIMARY KEY (subject_id, day, kind, reason)
        );

        CREATE TABLE content_items (
            id                text    NOT NULL PRIMARY KEY,
            sort_key          bytea   NOT NULL UNIQUE,
            title             text    NOT NULL,
            category          text    NOT NULL,
            bands             text[]  NOT NULL,
            may_affect_minors boolean NOT NULL,
            flags             integer NOT NULL,
            format            text    NOT NULL,
            popularity        bigint  NOT NULL
        );
        CREATE INDEX content_items_bands ON content_items USING gin (bands);
        CREATE INDEX content_items_category ON content_items (category, sort_key);
        CREATE INDEX content_items_popularity ON content_items (popularity DESC, sort_key);

        CREATE TABLE reports (
            id               text        NOT NULL PRIMARY KEY,
            idempotency_key  text        NOT NULL UNIQUE,
            request_hash     text        NOT NULL,
            reporter_kind    text        NOT NULL,
            reporter_id      text        NULL,
            category         text        NOT NULL,
            target_kind      text        NOT NULL,
            target_id        text        NOT NULL,
            description      text        NULL,
            status           text        NOT NULL,
            received_at      timestamptz NOT NULL,
            received_at_tick smallint    NOT NULL
        );
        CREATE INDEX reports_status ON reports (status, received_at);
        CREATE TABLE report_tracking (
            report_id           text        NOT NULL PRIMARY KEY,
            subject_id          text        NULL,
            evidence            text        NOT NULL,
            triage_due_at       timestamptz NOT NULL,
            triage_due_at_tick  smallint    NOT NULL,
            resolve_due_at      timestamptz NOT NULL,
            resolve_due_at_tick smallint    NOT NULL,
            escalated           boolean     NOT NULL
        );
        CREATE INDEX report_tracking_subject ON report_tracking (subject_id);
        CREATE TABLE report_history (
            seq         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            report_id   text        NOT NULL,
            from_status text        NOT NULL,
            to_status   text        NOT NULL,
            at          timestamptz NOT NULL,
            at_tick     smallint    NOT NULL,
            actor       text        NOT NULL,
            reason      text        NULL
        );
        CREATE INDEX report_history_report ON report_history (report_id, seq);
        CREATE TABLE report_actions (
            seq       bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            report_id text        NOT NULL,
            kind      text        NOT NULL,
            target_id text        NOT NULL,
            at        timestamptz NOT NULL,
            at_tick   smallint    NOT NULL,
            actor     text        NOT NULL
        );
        CREATE INDEX report_actions_report ON report_actions (report_id, seq);
        CREATE TABLE authority_outbox (
            id                   text        NOT NULL PRIMARY KEY,
            report_id            text        NOT NULL,
            idempotency_key      text        NOT NULL UNIQUE,
            payload              text        NOT NULL,
            created_at           timestamptz NOT NULL,
            created_at_tick      smallint    NOT NULL,
            attempts             integer     NOT NULL,
            next_attempt_at      timestamptz NOT NULL,
            next_attempt_at_tick smallint    NOT NULL,
            delivered_at         timestamptz NULL,
            delivered_at_tick    smallint    NULL,
            last_error           text        NULL
        );
        CREATE INDEX authority_outbox_due ON authority_outbox (next_attempt_at) WHERE delivered_at IS NULL;
        CREATE INDEX authority_outbox_report ON authority_outbox (report_id);

        CREATE TABLE audit_log (
            seq        bigint      NOT NULL PRIMARY KEY,
            at         timestamptz NOT NULL,
            at_tick    smallint    NOT NULL,
            actor      text        NOT NULL,
            action     text        NOT NULL,
            subject_id text        NULL,
            target     text        NULL,
            details    text        NULL,
            prev_hash  text        NOT NULL,
            hash       text        NOT NULL
        );
        CREATE INDEX audit_log_subject ON audit_log (subject_id, seq);

        CREATE TABLE game_spend_months (
            subject_id      text    NOT NULL,
            game_company_id text    NOT NULL,
            month           text    NOT NULL,
            amount          numeric NOT NULL,
            PRIMARY KEY (subject_id, game_company_id, month)
        );
        CREATE TABLE game_top_up_keys (
            subject_id      text    NOT NULL,
            idempotency_key text    NOT NULL,
            game_company_id text    NOT NULL,
            month           text    NOT NULL,
            amount          numeric NOT NULL,
            added           boolean NOT NULL,
            total_after     numeric NOT NULL,
            PRIMARY KEY (subject_id, idempotency_key)
        );
        CREATE TABLE spends (
            id               text        NOT NULL,
            subject_id       text        NOT NULL,
            category         text        NOT NULL,
            amount           numeric     NOT NULL,
            currency         text        NOT NULL,
            item_id          text        NULL,
            spent_at         timestamptz NOT NULL,
            spent_at_tick    smallint    NOT NULL,
            local_date       date        NOT NULL,
            month            text        NOT NULL,
            idempotency_key  text        NULL,
            refunded_at      timestamptz NULL,
            refunded_at_tick smallint    NULL,
            PRIMARY KEY (subject_id, id)
        );
        CREATE INDEX spends_by_id ON spends (id);
        CREATE INDEX spends_by_month ON spends (subject_id, category, month);
        CREATE INDEX spends_by_time ON spends (subject_id, spent_at);
        CREATE UNIQUE INDEX spends_by_key ON spends (subject_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
        CREATE TABLE refund_requests (
            id              text        NOT NULL,
            spend_id        text        NOT NULL,
            subject_id      text        NOT NULL,
            guardian_id     text        NOT NULL,
            reason          text        NULL,
            amount          numeric     NOT NULL,
            status          text        NOT NULL,
            filed_at        timestamptz NOT NULL,
            filed_at_tick   smallint    NOT NULL,
            due_at          timestamptz NOT NULL,
            due_at_tick     smallint    NOT NULL,
            decided_at      timestamptz NULL,
            decided_at_tick smallint    NULL,
            decided_by      text        NULL,
            decision_reason text        NULL,
            PRIMARY KEY (subject_id, id),
            UNIQUE (subject_id, spend_id)
        );
        CREATE INDEX refund_requests_by_id ON refund_requests (id);
        CREATE INDEX refund_requests_by_subject ON refund_requests (subject_id, filed_at);

        CREATE TABLE staff_access_grants (
            id                text        NOT NULL,
            staff_id          text        NOT NULL,
            subject_id        text        NOT NULL,
            purpose           text        NOT NULL,
            justification     text        NOT NULL,
            status            text        NOT NULL,
            requested_at      timestamptz NOT NULL,
            requested_at_tick smallint    NOT NULL,
            approver_id       text        NULL,
            decided_at        timestamptz NULL,
            decided_at_tick   smallint    NULL,
            expires_at        timestamptz NULL,
            expires_at_tick   smallint    NULL,
            PRIMARY KEY (subject_id, id)
        );
        CREATE INDEX staff_access_by_id ON staff_access_grants (id);
        CREATE INDEX staff_access_by_staff_subject ON staff_access_grants (staff_id, subject_id);
        CREATE TABLE breach_incidents (
            id               text        NOT NULL PRIMARY KEY,
            facts            text        NOT NULL,
            declared_by      text        NOT NULL,
            declared_at      timestamptz NOT NULL,
            declared_at_tick smallint    NOT NULL,
            status           text        NOT NULL,
            notified_at      timestamptz NULL,
            notified_at_tick smallint    NULL,
            reported_at      timestamptz NULL,
            reported_at_tick smallint    NULL
        );
        CREATE TABLE breach_notices (
            seq             bigint      GENERATED ALWAYS AS IDENTITY,
            id              text        NOT NULL,
            incident_id     text        NOT NULL,
            subject_id      text        NOT NULL,
            recipient_kind  text        NOT NULL,
            recipient_id    text        NOT NULL,
            text_zh         text        NOT NULL,
            text_en         text        NOT NULL,
            created_at      timestamptz NOT NULL,
            created_at_tick smallint    NOT NULL,
            attempts        integer     NOT NULL,
            sent_at         timestamptz NULL,
            sent_at_tick    smallint    NULL,
            last_error      text        NULL,
            PRIMARY KEY (subject_id, seq),
            UNIQUE (subject_id, id)
        );
        CREATE INDEX breach_notices_by_id ON breach_notices (id);
        CREATE INDEX breach_notices_by_incident ON breach_notices (incident_id);
        CREATE INDEX breach_notices_by_subject ON breach_notices (subject_id);

        CREATE TABLE pi_consents (
            seq         bigint      GENERATED ALWAYS AS IDENTITY,
            id          text        NOT NULL,
            subject_id  text        NOT NULL,
            guardian_id text        NOT NULL,
            decision    text        NOT NULL,
            purposes    text[]      NOT NULL,
            notice_hash text        NOT NULL,
            at          timestamptz NOT NULL,
            at_tick     smallint    NOT NULL,
            PRIMARY KEY (subject_id, seq),
            UNIQUE (subject_id, id)
        );
        CREATE TABLE pi_values (
            subject_id        text        NOT NULL,
            field             text        NOT NULL,
            purpose           text        NOT NULL,
            category          text        NOT NULL,
            key_id            text        NULL,
            payload           bytea       NOT NULL,
            collected_at      timestamptz NOT NULL,
            collected_at_tick smallint    NOT NULL,
            expires_at        timestamptz NOT NULL,
            expires_at_tick   smallint    NOT NULL,
            PRIMARY KEY (subject_id, field, purpose)
        );
        CREATE INDEX pi_values_expiry ON pi_values (expires_at);
        CREATE TABLE pi_requests (
            id                text        NOT NULL,
            subject_id        text        NOT NULL,
            kind              text        NOT NULL,
            requester_id      text        NOT NULL,
            received_at       timestamptz NOT NULL,
            received_at_tick  smallint    NOT NULL,
            due_at            timestamptz NOT NULL,
            due_at_tick       smallint    NOT NULL,
            status            text        NOT NULL,
            completed_at      timestamptz NULL,
            completed_at_tick smallint    NULL,
            refusal_zh        text        NULL,
            refusal_en        text        NULL,
            field             text        NULL,
            purpose           text        NULL,
            PRIMARY KEY (subject_id, id)
        );
        CREATE INDEX pi_requests_by_id ON pi_requests (id);
        """;
}
