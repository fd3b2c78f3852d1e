#!/usr/bin/env bash
# Renders a receipt page to a PNG with headless Chromium, so a person can look at it.
#   scripts/render-receipt.sh PAYMENT_ID API_KEY [BASE_URL] [OUT.png]
#   scripts/render-receipt.sh --file receipt.html [OUT.png]
# Installs Debian's chromium when it is missing. A4 at 96 dpi is 794 × 1123 pixels.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/ensure-packages.sh
ensure_packages chromium fonts-thai-tlwg
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ "${1:-}" = "--file" ]; then
  cp "$2" "$tmp/receipt.html"
  out=${3:-receipt.png}
else
  id=${1:?payment id}; key=${2:?API key}; base=${3:-http://127.0.0.1:8080}; out=${4:-receipt-$id.png}
  curl -fsS "$base/api/v1/payments/$id/receipt" -H "X-API-Key: $key" -H "Accept: text/html" -o "$tmp/receipt.html"
fi
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=794,1123 \
  --screenshot="$tmp/receipt.png" "file://$tmp/receipt.html" >/dev/null 2>&1
mv "$tmp/receipt.png" "$out"
echo "wrote $out"
