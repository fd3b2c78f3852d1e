-- The gateway of seeds 000 and 001: banks, the platform's receiving accounts, and deposits.
--
-- Rules kept here:
--   * A deposit is a payment (one record, one state machine); `deposits` only adds what the gateway
--     shows: its DEP… reference, the customer's account, the receiving account, the quoted fee.
--   * The amount a customer pays is unique among open deposits to the same receiving account, so a
--     transfer can be matched by amount: a claim row holds it while the deposit is PENDING, and the
--     trigger below releases it in the transaction that moves the deposit on.

CREATE TABLE banks (
    code      text PRIMARY KEY CHECK (code ~ '^[A-Z]{2,10}$'),
    int_code  char(3) NOT NULL CONSTRAINT banks_int_code_key UNIQUE CHECK (int_code ~ '^[0-9]{3}$'),
    name      text NOT NULL,
    name_th   text NOT NULL,
    position  smallint NOT NULL CONSTRAINT banks_position_key UNIQUE,  -- seed 001's order
    active    boolean NOT NULL DEFAULT true
);
INSERT INTO banks (position, code, int_code, name, name_th) VALUES
    (1, 'KBANK', '004', 'Kasikornbank', 'ธนาคารกสิกรไทย'),
    (2, 'SCB', '014', 'Siam Commercial Bank', 'ธนาคารไทยพาณิชย์'),
    (3, 'BBL', '002', 'Bangkok Bank', 'ธนาคารกรุงเทพ'),
    (4, 'KTB', '006', 'Krungthai Bank', 'ธนาคารกรุงไทย'),
    (5, 'BAY', '025', 'Bank of Ayudhya (Krungsri)', 'ธนาคารกรุงศรีอยุธยา'),
    (6, 'TTB', '011', 'TMBThanachart Bank', 'ธนาคารทหารไทยธนชาต'),
    (7, 'GSB', '030', 'Government Savings Bank', 'ธนาคารออมสิน'),
    (8, 'CIMB', '022', 'CIMB Thai Bank', 'ธนาคารซีไอเอ็มบี ไทย'),
    (9, 'UOB', '024', 'United Overseas Bank (Thai)', 'ธนาคารยูโอบี'),
    (10, 'TISCO', '067', 'TISCO Bank', 'ธนาคารทิสโก้'),
    (11, 'KKP', '069', 'Kiatnakin Phatra Bank', 'ธนาคารเกียรตินาคินภัทร'),
    (12, 'CITI', '017', 'Citibank', 'ธนาคารซิตี้แบงก์'),
    (13, 'HSBC', '031', 'The Hongkong and Shanghai Banking Corporation', 'ธนาคารฮ่องกงและเซี่ยงไฮ้แบงกิ้งคอร์ปอเรชั่น'),
    (14, 'ICBC', '070', 'Industrial and Commercial Bank of China (Thai)', 'ธนาคารไอซีบีซี (ไทย)'),
    (15, 'GHB', '033', 'Government Housing Bank', 'ธนาคารอาคารสงเคราะห์'),
    (16, 'IBANK', '066', 'Islamic Bank of Thailand', 'ธนาคารอิสลามแห่งประเทศไทย'),
    (17, 'BAAC', '034', 'Bank for Agriculture and Agricultural Cooperatives', 'ธนาคารเพื่อการเกษตรและสหกรณ์การเกษตร'),
    (18, 'LHB', '073', 'Land and Houses Bank', 'ธนาคารแลนด์ แอนด์ เฮ้าส์'),
    (19, 'TCRB', '071', 'Thai Credit Bank', 'ธนาคารไทยเครดิต');

-- Where customers send deposits: the platform's own accounts, at a bank Satang hears from (a provider).
CREATE TABLE receiving_accounts (
    id           uuid PRIMARY KEY,
    bank_code    text NOT NULL REFERENCES banks (code) CHECK (bank_code IN ('KBANK', 'SCB', 'BBL', 'KTB')),
    account_no   text NOT NULL CHECK (account_no ~ '^[0-9]{10,15}$'),
    account_name text NOT NULL CHECK (length(account_name) BETWEEN 2 AND 100),
    promptpay_id text CHECK (promptpay_id ~ '^([0-9]{10}|[0-9]{13}|[0-9]{15})$'),
    active       boolean NOT NULL DEFAULT true,
    created_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT receiving_accounts_account_key UNIQUE (bank_code, account_no)
);

CREATE TABLE deposits (
    payment_id           uuid PRIMARY KEY REFERENCES payments (id),
    reference            text NOT NULL CONSTRAINT deposits_reference_key UNIQUE CHECK (reference ~ '^DEP[0-9]{10}[A-Z0-9]{6}$'),
    merchant_id          bigint NOT NULL REFERENCES merchants (id),
    requested_amount     bigint NOT NULL CHECK (requested_amount BETWEEN 100 AND 200000000),
    fee                  bigint NOT NULL CHECK (fee >= 0),
    fee_ppm              bigint NOT NULL CHECK (fee_ppm BETWEEN 0 AND 1000000),
    receiving_account_id uuid NOT NULL REFERENCES receiving_accounts (id),
    customer_account_no  text NOT NULL CHECK (customer_account_no ~ '^[0-9]{10,15}$'),
    customer_name        text NOT NULL CHECK (length(customer_name) BETWEEN 2 AND 100),
    customer_bank_code   text NOT NULL REFERENCES banks (code),
    callback_url         text NOT NULL CHECK (callback_url ~ '^https?://' AND length(callback_url) <= 2048),
    channel              text NOT NULL DEFAULT 'QR' CHECK (channel IN ('QR', 'BANK_TRANSFER')),
    created_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX deposits_merchant_created ON deposits (merchant_id, created_at, payment_id);

-- The amount an open deposit holds at its receiving account.
CREATE TABLE deposit_amount_claims (
    receiving_account_id uuid NOT NULL REFERENCES receiving_accounts (id),
    amount               bigint NOT NULL CHECK (amount > 0),
    -- Claimed before the payment row is written (the amount is part of it), so checked at commit.
    payment_id           uuid NOT NULL CONSTRAINT deposit_amount_claims_payment_key UNIQUE
                         REFERENCES payments (id) DEFERRABLE INITIALLY DEFERRED,
    PRIMARY KEY (receiving_account_id, amount)
);

CREATE FUNCTION deposit_amount_released() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM deposit_amount_claims WHERE payment_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER deposit_amount_released AFTER UPDATE OF status ON payments
    FOR EACH ROW WHEN (OLD.status = 'PENDING' AND NEW.status <> 'PENDING')
    EXECUTE FUNCTION deposit_amount_released();
