-- KTB Direct Debit mandates (seed 004): a merchant registers a customer's Krungthai account once; payments
-- with provider KTB then need an ACTIVE mandate for the customer they name.
--
--   PENDING_CALLBACK → ACTIVE (I0000) | REJECTED (I0001)   the registration-result callback decides
--   FAILED                                                KTB refused the registration itself (its code kept)
-- A mandate that hears nothing may be submitted again (a new requestUID) after a configured time.

CREATE TYPE mandate_status AS ENUM ('PENDING_CALLBACK', 'ACTIVE', 'REJECTED', 'FAILED');

CREATE TABLE direct_debit_mandates (
    id              uuid PRIMARY KEY,
    merchant_id     bigint NOT NULL REFERENCES merchants (id),
    digital_id      text NOT NULL CHECK (length(digital_id) BETWEEN 1 AND 64),
    account_no      text NOT NULL CHECK (account_no ~ '^[0-9]{1,13}$'),
    ref1            text CHECK (length(ref1) BETWEEN 1 AND 20),
    ref2            text CHECK (length(ref2) BETWEEN 1 AND 20),
    ref3            text CHECK (length(ref3) BETWEEN 1 AND 20),
    ref4            text CHECK (length(ref4) BETWEEN 1 AND 20),
    status          mandate_status NOT NULL DEFAULT 'PENDING_CALLBACK',
    request_uid     text NOT NULL CONSTRAINT direct_debit_mandates_request_uid_key UNIQUE CHECK (length(request_uid) <= 36),
    ddr_oapi_seq_id text,
    status_code     text,   -- KTB's code when it refused, or the callback's respCode
    status_detail   text,
    submitted_at    timestamptz NOT NULL DEFAULT now(),
    resolved_at     timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX direct_debit_mandates_merchant ON direct_debit_mandates (merchant_id, created_at, id);
CREATE INDEX direct_debit_mandates_active ON direct_debit_mandates (merchant_id, digital_id) WHERE status = 'ACTIVE';
CREATE INDEX direct_debit_mandates_waiting ON direct_debit_mandates (account_no) WHERE status = 'PENDING_CALLBACK';

-- Every registration-result callback, by its own requestUID: a repeat is answered BSN007 and changes nothing.
CREATE TABLE ktb_ddr_callbacks (
    request_uid text PRIMARY KEY CHECK (length(request_uid) <= 36),
    mandate_id  uuid REFERENCES direct_debit_mandates (id),
    resp_code   text NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now()
);
