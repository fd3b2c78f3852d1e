-- Gateway payouts (seeds 000 and 001): a merchant's money sent to a customer's bank account.
--
-- Rules kept here:
--   * A payout reserves its amount (merchant:available → merchant:payouts_in_flight) in the transaction
--     that writes this row, so two payouts can never both take the same balance (the ledger refuses a
--     negative available balance).
--   * Lifecycle, seed 000's withdrawal statuses:
--       created → in batch → processing → completed | failed
--       in batch → waiting (bank unavailable, retried) → in batch
--       created | waiting → cancelled (by the merchant; refunded)
--     `in batch` means the worker may be talking to the bank: no cancel then. Terminal statuses are final.
--   * Deposit and payout callbacks go to the URL given with each request (target_url on the outbox).

CREATE TYPE payout_status AS ENUM ('created', 'waiting', 'in batch', 'processing', 'completed', 'cancelled', 'failed');

CREATE TABLE payout_transitions (
    from_status payout_status NOT NULL,
    to_status   payout_status NOT NULL,
    PRIMARY KEY (from_status, to_status)
);
INSERT INTO payout_transitions (from_status, to_status) VALUES
    ('created', 'in batch'), ('created', 'cancelled'),
    ('in batch', 'processing'), ('in batch', 'waiting'), ('in batch', 'completed'), ('in batch', 'failed'),
    ('waiting', 'in batch'), ('waiting', 'cancelled'), ('waiting', 'failed'),
    ('processing', 'completed'), ('processing', 'failed');

CREATE TABLE payouts (
    id                 uuid PRIMARY KEY,
    reference          text NOT NULL CONSTRAINT payouts_reference_key UNIQUE CHECK (reference ~ '^PAY[0-9]{10}[A-Z0-9]{6}$'),
    merchant_id        bigint NOT NULL REFERENCES merchants (id),
    merchant_reference text CHECK (length(merchant_reference) BETWEEN 1 AND 128),  -- seed 000's agent_order_no
    amount             bigint NOT NULL CHECK (amount > 0),
    fee                bigint NOT NULL CHECK (fee >= 0 AND fee < amount),
    fee_ppm            bigint NOT NULL CHECK (fee_ppm BETWEEN 0 AND 1000000),
    provider           text NOT NULL CHECK (provider IN ('KBANK', 'SCB', 'BBL', 'KTB')),  -- the bank it leaves through
    account_no         text NOT NULL CHECK (account_no ~ '^[0-9]{10,15}$'),
    account_name       text NOT NULL CHECK (length(account_name) BETWEEN 2 AND 100),
    bank_code          text NOT NULL REFERENCES banks (code),
    callback_url       text NOT NULL CHECK (callback_url ~ '^https?://' AND length(callback_url) <= 2048),
    status             payout_status NOT NULL DEFAULT 'created',
    bank_reference     text,
    failure_reason     text,
    attempts           integer NOT NULL DEFAULT 0,
    next_attempt_at    timestamptz NOT NULL DEFAULT now(),
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    completed_at       timestamptz,
    CONSTRAINT payouts_merchant_reference_key UNIQUE (merchant_id, merchant_reference)
);
CREATE INDEX payouts_merchant_created ON payouts (merchant_id, created_at, id);
CREATE INDEX payouts_due ON payouts (next_attempt_at) WHERE status IN ('created', 'waiting', 'in batch');

CREATE TABLE payout_events (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    payout_id   uuid NOT NULL REFERENCES payouts (id),
    from_status payout_status,
    to_status   payout_status NOT NULL,
    actor       text NOT NULL,
    reason      text NOT NULL DEFAULT '',
    at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX payout_events_payout ON payout_events (payout_id, id);

CREATE FUNCTION payout_transition_is_allowed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status IS DISTINCT FROM OLD.status THEN
        IF NOT EXISTS (SELECT 1 FROM payout_transitions WHERE from_status = OLD.status AND to_status = NEW.status) THEN
            RAISE EXCEPTION 'payout % cannot go from % to %', OLD.id, OLD.status, NEW.status
                USING ERRCODE = 'check_violation', CONSTRAINT = 'payout_transition_is_allowed';
        END IF;
        NEW.updated_at := now();
    END IF;
    IF NEW.id <> OLD.id OR NEW.merchant_id <> OLD.merchant_id OR NEW.amount <> OLD.amount OR NEW.fee <> OLD.fee
       OR NEW.reference <> OLD.reference THEN
        RAISE EXCEPTION 'payout % cannot change its identity, amount or fee', OLD.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'payout_transition_is_allowed';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER payout_transition_is_allowed BEFORE UPDATE ON payouts
    FOR EACH ROW EXECUTE FUNCTION payout_transition_is_allowed();
CREATE FUNCTION payout_history_is_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'payout history is kept: % on % is not allowed', TG_OP, TG_TABLE_NAME USING ERRCODE = 'check_violation';
END $$;
CREATE TRIGGER payout_events_immutable BEFORE UPDATE OR DELETE ON payout_events
    FOR EACH ROW EXECUTE FUNCTION payout_history_is_immutable();
CREATE TRIGGER payouts_not_deleted BEFORE DELETE ON payouts
    FOR EACH ROW EXECUTE FUNCTION payout_history_is_immutable();

-- Callbacks to a URL given with the request (deposits and payouts) rather than the merchant's own.
ALTER TABLE outbox_events ADD COLUMN target_url text CHECK (target_url ~ '^https?://' AND length(target_url) <= 2048);
