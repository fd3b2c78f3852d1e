-- Accountants: an API key that reads every book and changes nothing. Like merchants' keys, only the
-- key's SHA-256 is stored, with a short prefix to tell keys apart.

CREATE TABLE accountants (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name           text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    api_key_hash   bytea NOT NULL CONSTRAINT accountants_api_key_hash_key UNIQUE CHECK (length(api_key_hash) = 32),
    api_key_prefix text NOT NULL,
    disabled_at    timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now()
);
