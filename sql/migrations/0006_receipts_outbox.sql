-- What a successful payment leaves behind, all in the transaction that marks it SUCCEEDED:
-- a receipt with the next number of the merchant's year, and an outbox event for the merchant's callback.

-- Receipt numbers: per merchant and year, sequential, never reused. The counter row is locked by the
-- UPDATE that takes a number, so two successes of one merchant take consecutive numbers.
CREATE TABLE receipt_counters (
    merchant_id bigint NOT NULL REFERENCES merchants (id),
    year        integer NOT NULL CHECK (year BETWEEN 2000 AND 9999),
    last_number integer NOT NULL CHECK (last_number >= 0),
    PRIMARY KEY (merchant_id, year)
);

CREATE TABLE receipts (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    merchant_id    bigint NOT NULL REFERENCES merchants (id),
    payment_id     uuid NOT NULL CONSTRAINT receipts_payment_key UNIQUE REFERENCES payments (id),
    year           integer NOT NULL,
    sequence       integer NOT NULL CHECK (sequence > 0),
    number         text NOT NULL,  -- RC2026-000001
    issued_at      timestamptz NOT NULL DEFAULT now(),
    seller_name    text NOT NULL,
    seller_address text,
    seller_tax_id  text,
    payer          text,
    description    text,
    provider       text NOT NULL,
    currency       char(3) NOT NULL,
    total          bigint NOT NULL CHECK (total > 0),  -- VAT included
    base           bigint NOT NULL CHECK (base >= 0),
    vat            bigint NOT NULL CHECK (vat >= 0),
    CONSTRAINT receipts_number_key UNIQUE (merchant_id, number),
    CONSTRAINT receipts_sequence_key UNIQUE (merchant_id, year, sequence),
    CONSTRAINT receipts_vat_adds_up CHECK (base + vat = total)
);

-- A receipt, once issued, is never changed or removed.
CREATE TRIGGER receipts_immutable BEFORE UPDATE OR DELETE ON receipts
    FOR EACH ROW EXECUTE FUNCTION payment_history_is_immutable();

-- Everything a merchant must be told, written in the transaction that made it true; a worker delivers it.
CREATE TABLE outbox_events (
    id              uuid PRIMARY KEY,  -- stable: the receiver deduplicates by it (webhook-id)
    merchant_id     bigint NOT NULL REFERENCES merchants (id),
    event_type      text NOT NULL,
    payload         jsonb NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    delivered_at    timestamptz,
    failed_at       timestamptz,  -- gave up after the last retry
    last_error      text
);
CREATE INDEX outbox_events_due ON outbox_events (next_attempt_at) WHERE delivered_at IS NULL AND failed_at IS NULL;

-- Provider webhooks already processed, by the provider's own event id.
CREATE TABLE provider_webhook_events (
    provider    text NOT NULL,
    event_id    text NOT NULL CHECK (length(event_id) BETWEEN 1 AND 128),
    payment_id  uuid,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (provider, event_id)
);

-- Things an accountant must look at: e.g. a success reported for a payment that had already expired.
CREATE TABLE reconciliation_exceptions (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    payment_id uuid REFERENCES payments (id),
    kind       text NOT NULL,
    detail     jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now()
);
