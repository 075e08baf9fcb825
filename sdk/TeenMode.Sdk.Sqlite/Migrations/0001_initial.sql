-- The schema as it stood before numbered migrations (then versioned with PRAGMA user_version = 1).
-- Every statement keeps IF NOT EXISTS: a file written by that code has no schema_history, so this script runs
-- on it once more and only adds what an older file lacks, exactly as the old start-up did. Never edit it: add a migration.

-- (was SchemaV1)
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

-- (was SchemaAudit)
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

-- (was SchemaReporting)
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

-- (was SchemaContent)
CREATE TABLE IF NOT EXISTS content_item_attributes (
    id         TEXT    NOT NULL PRIMARY KEY,
    flags      INTEGER NOT NULL,
    format     TEXT    NOT NULL,
    popularity INTEGER NOT NULL
) WITHOUT ROWID;

-- (was SchemaLockout)
CREATE TABLE IF NOT EXISTS guardian_lockouts (
    subject_id TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    locked_until TEXT NULL
);

-- (was SchemaGames)
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

-- (was SchemaBlockedAttempts)
CREATE TABLE IF NOT EXISTS blocked_attempts (
    subject_id TEXT NOT NULL,
    day TEXT NOT NULL,
    kind TEXT NOT NULL,
    reason TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (subject_id, day, kind, reason)
);

-- (was SchemaSpending)
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

-- (was SchemaPiProtection)
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

-- (was SchemaGuardians)
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

-- (was SchemaPersonalInfo)
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
