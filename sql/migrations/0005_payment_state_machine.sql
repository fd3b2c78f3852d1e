-- The payment lifecycle, enforced where the row is updated:
--   NOT_SENT → SUBMITTING → PENDING → SUCCEEDED | FAILED_TECHNICAL | FAILED_BUSINESS | EXPIRED
-- plus CANCELED for a pending deposit the merchant cancels, and SUBMITTING → NOT_SENT when a technical
-- failure is to be retried. Terminal statuses have no way out. Swift's PaymentStatus.allowedNext is the
-- same table; a test compares them.

CREATE TABLE payment_transitions (
    from_status payment_status NOT NULL,
    to_status   payment_status NOT NULL,
    PRIMARY KEY (from_status, to_status)
);
INSERT INTO payment_transitions (from_status, to_status) VALUES
    ('NOT_SENT', 'SUBMITTING'), ('NOT_SENT', 'EXPIRED'), ('NOT_SENT', 'CANCELED'),
    ('SUBMITTING', 'PENDING'), ('SUBMITTING', 'NOT_SENT'), ('SUBMITTING', 'FAILED_TECHNICAL'),
    ('SUBMITTING', 'FAILED_BUSINESS'), ('SUBMITTING', 'EXPIRED'),
    ('PENDING', 'SUCCEEDED'), ('PENDING', 'FAILED_BUSINESS'), ('PENDING', 'FAILED_TECHNICAL'),
    ('PENDING', 'EXPIRED'), ('PENDING', 'CANCELED');

CREATE FUNCTION payment_transition_is_allowed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status IS DISTINCT FROM OLD.status THEN
        IF NOT EXISTS (SELECT 1 FROM payment_transitions WHERE from_status = OLD.status AND to_status = NEW.status) THEN
            RAISE EXCEPTION 'payment % cannot go from % to %', OLD.id, OLD.status, NEW.status
                USING ERRCODE = 'check_violation', CONSTRAINT = 'payment_transition_is_allowed';
        END IF;
        NEW.updated_at := now();
    END IF;
    IF NEW.id <> OLD.id OR NEW.merchant_id <> OLD.merchant_id OR NEW.amount <> OLD.amount
       OR NEW.currency <> OLD.currency OR NEW.source_payment_id <> OLD.source_payment_id THEN
        RAISE EXCEPTION 'payment % cannot change its identity, amount or currency', OLD.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'payment_transition_is_allowed';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER payment_transition_is_allowed BEFORE UPDATE ON payments
    FOR EACH ROW EXECUTE FUNCTION payment_transition_is_allowed();

-- Payments are never deleted; their events are never changed.
CREATE FUNCTION payment_history_is_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% of % is not allowed: payment history is append-only', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END $$;
CREATE TRIGGER payments_not_deleted BEFORE DELETE ON payments
    FOR EACH ROW EXECUTE FUNCTION payment_history_is_immutable();
CREATE TRIGGER payment_events_immutable BEFORE UPDATE OR DELETE ON payment_events
    FOR EACH ROW EXECUTE FUNCTION payment_history_is_immutable();
