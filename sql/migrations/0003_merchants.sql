-- Merchants (the seeds' "sources"): who may call Satang, through which providers, at what fee.
--
-- Rules kept here:
--   * The API key is never stored: only its SHA-256 (api_key_hash), looked up on every call, and a
--     short prefix so an operator can tell keys apart. The key is shown once, at creation.
--   * The HMAC secret must be readable to verify request signatures, so it is stored; it never
--     leaves the database except to the merchant at creation.
--   * A merchant has exactly one ledger book, created in the same transaction.

CREATE TABLE merchants (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code                text NOT NULL CONSTRAINT merchants_code_key UNIQUE
                        CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9_-]{1,63}$'),
    name                text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    tax_id              text CHECK (tax_id ~ '^[0-9]{13}$'),  -- Thai taxpayer id: 13 digits
    address             text CHECK (length(address) <= 500),
    providers           text[] NOT NULL
                        CHECK (cardinality(providers) BETWEEN 1 AND 4 AND providers <@ ARRAY['KBANK', 'SCB', 'BBL', 'KTB']),
    default_provider    text CHECK (default_provider IS NULL OR default_provider = ANY (providers)),
    fee_ppm             bigint NOT NULL DEFAULT 0 CHECK (fee_ppm BETWEEN 0 AND 1000000),  -- 1.5 % = 15000
    callback_url        text CHECK (callback_url ~ '^https?://' AND length(callback_url) <= 2048),
    require_signature   boolean NOT NULL DEFAULT false,
    allowed_ips         inet[] NOT NULL DEFAULT '{}',  -- addresses or networks (10.0.0.0/8); empty: any address
    payment_ttl_seconds integer NOT NULL DEFAULT 900 CHECK (payment_ttl_seconds BETWEEN 60 AND 604800),
    api_key_hash        bytea NOT NULL CONSTRAINT merchants_api_key_hash_key UNIQUE CHECK (length(api_key_hash) = 32),
    api_key_prefix      text NOT NULL,
    api_secret          text NOT NULL CHECK (length(api_secret) >= 32),
    book_id             bigint NOT NULL CONSTRAINT merchants_book_key UNIQUE REFERENCES ledger_books (id),
    disabled_at         timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now()
);
