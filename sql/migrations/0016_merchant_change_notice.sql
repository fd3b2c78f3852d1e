-- Servers keep the merchants they recognised by API key in memory (MerchantKeyCache) and LISTEN on
-- satang_merchants_changed; every committed change to a merchant row (a disable, above all) tells them to
-- forget what they kept, so a disabled key stops working within milliseconds in every process.
CREATE FUNCTION notify_merchants_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('satang_merchants_changed', '');
    RETURN NULL;
END
$$;

CREATE TRIGGER merchants_changed
    AFTER UPDATE OR DELETE OR TRUNCATE ON merchants
    FOR EACH STATEMENT EXECUTE FUNCTION notify_merchants_changed();
