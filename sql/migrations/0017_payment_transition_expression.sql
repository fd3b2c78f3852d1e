-- The lifecycle table of 0005 as an expression. The trigger checks every payment update, three per
-- payment on its way to SUCCEEDED, and looking the pair up in payment_transitions was a query each time;
-- the expression is inlined into the trigger and costs no query. Swift's PaymentStatus.allowedNext is
-- the same table; a test compares them for every pair.
CREATE FUNCTION payment_transition_allowed(from_status payment_status, to_status payment_status) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE from_status
        WHEN 'NOT_SENT'   THEN to_status IN ('SUBMITTING', 'EXPIRED', 'CANCELED')
        WHEN 'SUBMITTING' THEN to_status IN ('PENDING', 'NOT_SENT', 'FAILED_TECHNICAL', 'FAILED_BUSINESS', 'EXPIRED')
        WHEN 'PENDING'    THEN to_status IN ('SUCCEEDED', 'FAILED_BUSINESS', 'FAILED_TECHNICAL', 'EXPIRED', 'CANCELED')
        ELSE false  -- SUCCEEDED, FAILED_TECHNICAL, FAILED_BUSINESS, EXPIRED and CANCELED are final
    END
$$;

CREATE OR REPLACE FUNCTION payment_transition_is_allowed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status IS DISTINCT FROM OLD.status THEN
        IF NOT payment_transition_allowed(OLD.status, NEW.status) THEN
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

-- One table, not two that could drift apart.
DROP TABLE payment_transitions;
