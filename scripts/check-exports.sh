#!/usr/bin/env bash
# Checks Satang's books with tools that do not trust Satang: exports every book as Beancount and as an
# hledger journal, has bean-check and `hledger check --strict` validate them, and compares the balances
# each tool computes with Satang's own trial balance, to the satang.
#   scripts/check-exports.sh [satang options, e.g. --database-url postgres://… or --data-dir …]
# Installs hledger (Debian) and beancount (PyPI) when missing. The test suite runs the same check on a
# generated dataset (LedgerExportCheckTests).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/ensure-packages.sh
ensure_packages hledger python3 python3-pip
python3 -c "import beancount" 2>/dev/null || python3 -m pip install -q beancount
satang=${SATANG_BIN:-.build/release/satang}
[ -x "$satang" ] || swift build -c release --product satang
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$satang" export beancount --to "$tmp/books.beancount" "$@"
"$satang" export hledger --to "$tmp/books.journal" "$@"
"$satang" report trial-balance --format json "$@" > "$tmp/trial.json"
bean-check "$tmp/books.beancount"
hledger -f "$tmp/books.journal" check --strict
hledger -f "$tmp/books.journal" bal --flat --no-total -O csv > "$tmp/hledger.csv"
python3 - "$tmp" <<'PY'
import csv, decimal, json, re, sys
from beancount import loader
from beancount.core import realization
tmp = sys.argv[1]
D = decimal.Decimal
def name(kind, book, code):
    root = {"asset": "Assets", "liability": "Liabilities", "equity": "Equity", "revenue": "Income"}.get(kind, "Expenses")
    def part(text):
        text = re.sub(r"[^A-Za-z0-9]", "-", text)
        return text[0].upper() + text[1:] if text[:1].isalpha() else "X" + text
    return ":".join([root] + [part(p) for p in [book] + code.split(":")])
trial = {name(l["type"], l["book"], l["account"]): D(l["balance"]) for l in json.load(open(tmp + "/trial.json"))["lines"]}
trial = {k: v for k, v in trial.items() if v != 0}
entries, errors, _ = loader.load_file(tmp + "/books.beancount")
bean = {}
for account in realization.iter_children(realization.realize(entries)):
    for position in account.balance:
        if position.units.number != 0: bean[account.account] = D(position.units.number)
hled = {}
for row in list(csv.reader(open(tmp + "/hledger.csv")))[1:]:
    amount = D(re.sub(r"\s*[A-Z]{3}$", "", row[1]).replace(",", "") or "0")
    if amount != 0: hled[row[0]] = amount
ok = True
for tool, balances in (("beancount", bean), ("hledger", hled)):
    if balances != trial:
        ok = False
        for account in sorted(set(balances) | set(trial)):
            if balances.get(account) != trial.get(account):
                print(f"{tool}: {account}: tool {balances.get(account)} satang {trial.get(account)}")
print(f"{len(trial)} accounts with a balance; beancount and hledger agree with the trial balance" if ok else "MISMATCH")
sys.exit(0 if ok else 1)
PY
