-- Satang's first migration: the ground floor every later migration stands on.
-- schema_migrations itself is created by the migration runner, before this file.

-- A row per running satang instance is not kept; instances are stateless.
-- This migration only records when the schema was first created, for operators.
CREATE TABLE satang_installation (
    id          boolean PRIMARY KEY DEFAULT true CHECK (id),  -- exactly one row
    created_at  timestamptz NOT NULL DEFAULT now()
);
INSERT INTO satang_installation DEFAULT VALUES;
