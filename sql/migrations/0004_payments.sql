-- Payments registered by merchants, their transitions, and the idempotency keys that guard registration.

CREATE TYPE payment_status AS ENUM
    ('NOT_SENT', 'SUBMITTING', 'PENDING', 'SUCCEEDED', 'FAILED_TECHNICAL', 'FAILED_BUSINESS', 'EXPIRED', 'CANCELED');

CREATE TABLE payments (
    id                uuid PRIMARY KEY,
    merchant_id       bigint NOT NULL REFERENCES merchants (id),
    source_payment_id text NOT NULL CHECK (length(source_payment_id) BETWEEN 1 AND 128),
    provider          text NOT NULL CHECK (provider IN ('KBANK', 'SCB', 'BBL', 'KTB')),
    amount            bigint NOT NULL CHECK (amount > 0),  -- minor units (satang)
    currency          char(3) NOT NULL REFERENCES ledger_currencies (code),
    description       text CHECK (length(description) <= 255),
    metadata          jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(metadata) = 'object'),
    status            payment_status NOT NULL DEFAULT 'NOT_SENT',
    expires_at        timestamptz NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    -- A merchant's own payment id names one payment.
    CONSTRAINT payments_source_payment_key UNIQUE (merchant_id, source_payment_id)
);
CREATE INDEX payments_merchant_created ON payments (merchant_id, created_at, id);

-- Every transition, appended in the transaction that made it (who, when, from, to, why).
CREATE TABLE payment_events (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    payment_id  uuid NOT NULL REFERENCES payments (id),
    from_status payment_status,
    to_status   payment_status NOT NULL,
    actor       text NOT NULL,
    reason      text NOT NULL DEFAULT '',
    at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX payment_events_payment ON payment_events (payment_id, id);

-- An idempotency key is stored with the effect it guards, in the same transaction, with the exact
-- response, so a retry gets the same status and bytes. Scoped to the merchant.
CREATE TABLE idempotency_keys (
    merchant_id     bigint NOT NULL REFERENCES merchants (id),
    key             text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    fingerprint     bytea NOT NULL CHECK (length(fingerprint) = 32),  -- SHA-256 of method, path and body
    response_status smallint NOT NULL,
    response_body   bytea NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (merchant_id, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

-- Request signatures already accepted, kept for the replay window.
CREATE TABLE used_signatures (
    merchant_id bigint NOT NULL REFERENCES merchants (id),
    signature   text NOT NULL,
    expires_at  timestamptz NOT NULL,
    PRIMARY KEY (merchant_id, signature)
);
CREATE INDEX used_signatures_expiry ON used_signatures (expires_at);
