-- The double-entry ledger. Its promise: no satang is ever lost, doubled or invented.
--
-- What can never happen, whatever a client does (each rule names where it is enforced):
--   1. An entry commits without all its lines, or unbalanced per currency.   ledger_entry_must_balance (deferred)
--      An entry declares its line count; a posting is one numbered line of it, so none can be added later.
--   2. An entry or posting is changed, deleted or truncated.                  ledger_*_immutable triggers
--   3. A non-negative account's balance goes below zero on its normal side.  ledger_accounts_non_negative
--   4. One business event is posted twice: (book, kind, reference) is unique. ledger_entries_event_key
--   5. A posting touches an account of another book, or in another currency. composite foreign keys
--   6. An entry is reversed twice.                                            ledger_entries_reverses_once
-- Amounts are bigint minor units (satang). Postings are signed: debit positive, credit negative.
-- Balances are kept in the same sign (debit positive), so balance = sum(postings) literally; an
-- account's "normal" balance is -balance for liability, equity and revenue accounts.

CREATE TABLE ledger_currencies (
    code     char(3)  PRIMARY KEY CHECK (code ~ '^[A-Z]{3}$'),
    decimals smallint NOT NULL CHECK (decimals BETWEEN 0 AND 4)
);
INSERT INTO ledger_currencies (code, decimals) VALUES
    ('THB', 2), ('USD', 2), ('EUR', 2), ('GBP', 2), ('SGD', 2), ('CNY', 2), ('JPY', 0), ('KRW', 0), ('KWD', 3);

-- A book per merchant: every entry stays inside one book, so a book is the unit of locking and, later,
-- of distribution (Citus shards by book_id).
CREATE TABLE ledger_books (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code       text NOT NULL CONSTRAINT ledger_books_code_key UNIQUE
               CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$'),
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TYPE ledger_account_type AS ENUM ('asset', 'liability', 'equity', 'revenue', 'expense');

CREATE TABLE ledger_accounts (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    book_id        bigint NOT NULL REFERENCES ledger_books (id),
    code           text NOT NULL CHECK (code ~ '^[a-z][a-z0-9_]*(:[A-Za-z0-9_]+)*$' AND length(code) <= 100),
    currency       char(3) NOT NULL REFERENCES ledger_currencies (code),
    type           ledger_account_type NOT NULL,
    non_negative   boolean NOT NULL DEFAULT false,
    -- Running totals, changed once per account per posting batch, under the row lock.
    balance        bigint NOT NULL DEFAULT 0,
    debits         bigint NOT NULL DEFAULT 0 CHECK (debits >= 0),
    credits        bigint NOT NULL DEFAULT 0 CHECK (credits >= 0),
    last_sequence  bigint NOT NULL DEFAULT 0 CHECK (last_sequence >= 0),
    last_posted_at timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT ledger_accounts_identity UNIQUE (book_id, code, currency),
    -- Target of the postings' composite foreign key: account, book and currency must agree.
    CONSTRAINT ledger_accounts_book_currency UNIQUE (book_id, id, currency),
    CONSTRAINT ledger_accounts_balance_is_totals CHECK (balance = debits - credits),
    CONSTRAINT ledger_accounts_non_negative CHECK (
        NOT non_negative
        OR (type IN ('asset', 'expense') AND balance >= 0)
        OR (type IN ('liability', 'equity', 'revenue') AND balance <= 0))
);

-- An account's identity never changes once postings may point at it.
CREATE FUNCTION ledger_account_identity_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.book_id <> OLD.book_id OR NEW.code <> OLD.code OR NEW.currency <> OLD.currency
       OR NEW.type <> OLD.type THEN
        RAISE EXCEPTION 'ledger account % cannot change its book, code, currency or type', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER ledger_accounts_identity_fixed BEFORE UPDATE ON ledger_accounts
    FOR EACH ROW EXECUTE FUNCTION ledger_account_identity_fixed();

CREATE TABLE ledger_entries (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- No foreign key to ledger_books on purpose: an entry is only complete with its lines, and each
    -- line's account must belong to this book (ledger_postings_account), so the book exists. A key
    -- here would make every entry share-lock its book row, which hot books would fight over.
    book_id           bigint NOT NULL,
    kind              text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9_.]{0,63}$'),
    reference         text NOT NULL CHECK (length(reference) BETWEEN 1 AND 255),
    posted_at         timestamptz NOT NULL,
    -- How many postings the entry has: lines 1…line_count, checked complete at commit.
    line_count        smallint NOT NULL CHECK (line_count BETWEEN 2 AND 100),
    description       text NOT NULL DEFAULT '' CHECK (length(description) <= 1000),
    metadata          jsonb NOT NULL DEFAULT '{}',
    -- Who asked for the entry (a service, or an operator for adjustments) and why, when it matters.
    recorded_by       text NOT NULL DEFAULT 'satang',
    -- Set on reversals: the entry of the same book this one mirrors (checked with rule 1).
    reverses_entry_id bigint REFERENCES ledger_entries (id),
    CONSTRAINT ledger_entries_event_key UNIQUE (book_id, kind, reference),
    -- Target of the postings' composite foreign key: entry, book and line count must agree.
    CONSTRAINT ledger_entries_book_lines UNIQUE (book_id, id, line_count),
    CONSTRAINT ledger_entries_reversal_kind CHECK ((reverses_entry_id IS NULL) = (kind <> 'reversal'))
);
-- Rule 6; partial, so the index holds only reversals.
CREATE UNIQUE INDEX ledger_entries_reverses_once ON ledger_entries (reverses_entry_id) WHERE reverses_entry_id IS NOT NULL;
CREATE INDEX ledger_entries_book_time ON ledger_entries (book_id, posted_at, id);

CREATE TABLE ledger_postings (
    entry_id         bigint NOT NULL,
    book_id          bigint NOT NULL,
    line_number      smallint NOT NULL,
    line_count       smallint NOT NULL,
    account_id       bigint NOT NULL,
    currency         char(3) NOT NULL,
    amount           bigint NOT NULL CHECK (amount <> 0),
    -- The account's own order of postings, and its totals right after this one: statements and
    -- as-of balances are index lookups, not sums over history.
    account_sequence bigint NOT NULL CHECK (account_sequence > 0),
    balance_after    bigint NOT NULL,
    debits_after     bigint NOT NULL CHECK (debits_after >= 0),
    credits_after    bigint NOT NULL CHECK (credits_after >= 0),
    posted_at        timestamptz NOT NULL,
    PRIMARY KEY (account_id, account_sequence),
    CONSTRAINT ledger_postings_line UNIQUE (entry_id, line_number),
    CONSTRAINT ledger_postings_line_in_entry CHECK (line_number BETWEEN 1 AND line_count),
    CONSTRAINT ledger_postings_entry FOREIGN KEY (book_id, entry_id, line_count)
        REFERENCES ledger_entries (book_id, id, line_count),
    CONSTRAINT ledger_postings_account FOREIGN KEY (book_id, account_id, currency)
        REFERENCES ledger_accounts (book_id, id, currency),
    CONSTRAINT ledger_postings_totals CHECK (balance_after = debits_after - credits_after)
);
CREATE INDEX ledger_postings_account_time ON ledger_postings (account_id, posted_at, account_sequence);

-- Rule 1, checked at commit once per entry: all line_count lines are there (line numbers are unique
-- and at most line_count, so none can be added afterwards), and they sum to zero in each currency.
CREATE FUNCTION ledger_entry_must_balance() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    lines bigint;
    unbalanced boolean;
BEGIN
    SELECT coalesce(sum(n), 0), coalesce(bool_or(total <> 0), false) INTO lines, unbalanced
      FROM (SELECT count(*) AS n, sum(amount) AS total FROM ledger_postings
             WHERE entry_id = NEW.id GROUP BY currency) AS per_currency;
    IF lines <> NEW.line_count THEN
        RAISE EXCEPTION 'journal entry % has % of its % lines', NEW.id, lines, NEW.line_count
            USING ERRCODE = 'check_violation', CONSTRAINT = 'ledger_entry_must_balance';
    END IF;
    IF unbalanced THEN
        RAISE EXCEPTION 'journal entry % does not balance: its postings do not sum to zero in every currency', NEW.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'ledger_entry_must_balance';
    END IF;
    IF NEW.reverses_entry_id IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM ledger_entries WHERE id = NEW.reverses_entry_id AND book_id = NEW.book_id) THEN
        RAISE EXCEPTION 'journal entry % reverses entry % of another book', NEW.id, NEW.reverses_entry_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'ledger_entry_must_balance';
    END IF;
    RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER ledger_entry_must_balance AFTER INSERT ON ledger_entries
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_entry_must_balance();

-- Rule 2: history is append-only. A correction is a new, reversing entry.
CREATE FUNCTION ledger_history_is_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% of % is not allowed: ledger history is append-only; post a reversing entry instead',
        TG_OP, TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END $$;
CREATE TRIGGER ledger_entries_immutable BEFORE UPDATE OR DELETE ON ledger_entries
    FOR EACH ROW EXECUTE FUNCTION ledger_history_is_immutable();
CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_history_is_immutable();
CREATE TRIGGER ledger_postings_immutable BEFORE UPDATE OR DELETE ON ledger_postings
    FOR EACH ROW EXECUTE FUNCTION ledger_history_is_immutable();
CREATE TRIGGER ledger_postings_no_truncate BEFORE TRUNCATE ON ledger_postings
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_history_is_immutable();
