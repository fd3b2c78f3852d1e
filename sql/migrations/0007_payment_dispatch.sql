-- What the dispatcher needs to drive payments to their provider, and to pick up after a crash.
ALTER TABLE payments
    ADD COLUMN submit_attempts    integer NOT NULL DEFAULT 0 CHECK (submit_attempts >= 0),
    -- When the dispatcher may next look at the payment. While a submission is in flight this is a lease:
    -- a dispatcher that dies mid-call leaves the payment SUBMITTING, and it is picked up again after it.
    ADD COLUMN next_attempt_at    timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN provider_reference text,
    ADD COLUMN last_error         text;
CREATE INDEX payments_due_for_submission ON payments (next_attempt_at) WHERE status IN ('NOT_SENT', 'SUBMITTING');
CREATE INDEX payments_unfinished_by_expiry ON payments (expires_at) WHERE status IN ('NOT_SENT', 'SUBMITTING', 'PENDING');
