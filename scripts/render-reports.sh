#!/usr/bin/env bash
# Renders the accountants' report pages to PNGs with headless Chromium, so a person can look at them.
#   scripts/render-reports.sh ACCOUNTANT_KEY [BASE_URL] [OUT_DIR]
# Installs Debian's chromium (and Thai fonts) when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/ensure-packages.sh
ensure_packages chromium fonts-thai-tlwg curl
key=${1:?accountant API key}; base=${2:-http://127.0.0.1:8080}; out=${3:-reports-png}
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for page in trial-balance balance-summary daily-volume; do
  curl -fsS "$base/reports/$page" -H "X-API-Key: $key" -o "$tmp/$page.html"
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1024,1400 \
    --screenshot="$tmp/$page.png" "file://$tmp/$page.html" >/dev/null 2>&1
  mv "$tmp/$page.png" "$out/$page.png"
  echo "wrote $out/$page.png"
done
