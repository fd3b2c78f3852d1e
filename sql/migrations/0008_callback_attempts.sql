-- Every attempt to deliver an outbox event to a merchant's callback URL, kept for support and for
-- `satang callbacks list`.
CREATE TABLE callback_attempts (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id    uuid NOT NULL REFERENCES outbox_events (id),
    attempt     integer NOT NULL CHECK (attempt > 0),
    at          timestamptz NOT NULL DEFAULT now(),
    url         text,
    http_status integer,
    error       text,
    duration_ms integer
);
CREATE INDEX callback_attempts_event ON callback_attempts (event_id, attempt);
