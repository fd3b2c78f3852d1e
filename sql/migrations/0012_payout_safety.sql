-- Payouts: a payout whose earlier attempt failed technically may still have reached the bank, so it can no
-- longer be cancelled (only `created` ones can), and a bank's late "sent" answer moves it on from `waiting`.
-- Exceptions may name a payout instead of a payment.

DELETE FROM payout_transitions WHERE from_status = 'waiting' AND to_status = 'cancelled';
INSERT INTO payout_transitions (from_status, to_status) VALUES ('waiting', 'processing');

ALTER TABLE reconciliation_exceptions ADD COLUMN payout_id uuid REFERENCES payouts (id);
