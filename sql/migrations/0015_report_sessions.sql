-- Signed-in report pages: the browser keeps a random session token (never the accountant's API key);
-- only its SHA-256 is stored, and it expires.

CREATE TABLE report_sessions (
    token_hash    bytea PRIMARY KEY CHECK (length(token_hash) = 32),
    accountant_id bigint NOT NULL REFERENCES accountants (id),
    expires_at    timestamptz NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX report_sessions_expiry ON report_sessions (expires_at);
