-- A registration-result callback names the account and ref1-ref4, nothing else. Satang keeps ref4 for a
-- reference of its own, unique per mandate, so a callback can only ever settle the mandate it is about
-- (never another merchant's registration of the same account).

ALTER TABLE direct_debit_mandates ADD COLUMN satang_ref text;
UPDATE direct_debit_mandates SET satang_ref = 'S' || substr(replace(id::text, '-', ''), 1, 19) WHERE satang_ref IS NULL;
ALTER TABLE direct_debit_mandates ALTER COLUMN satang_ref SET NOT NULL;
ALTER TABLE direct_debit_mandates ADD CONSTRAINT direct_debit_mandates_satang_ref_key UNIQUE (satang_ref);
-- New registrations send satang_ref as ref4 (the code refuses a merchant's own ref4). Registrations made
-- before this migration were sent without it, so their callbacks cannot be matched any more: submit
-- them again (POST …/resubmit) once they have waited the configured time.
