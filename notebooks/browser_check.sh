#!/usr/bin/env bash
# Opens one exported notebook page (docs/notebooks/*.html) in headless Chromium (Debian's
# `chromium`), checks that every image on it loaded (complete, with a natural width), and takes a
# screenshot. Usage: bash notebooks/browser_check.sh [PAGE.html] [SCREENSHOT.png]
set -euo pipefail
cd "$(dirname "$0")/.."
page="$(realpath "${1:-docs/notebooks/01_autoencoders.html}")"
shot="$(realpath -m "${2:-target/notebook-page.png}")"
mkdir -p "$(dirname "$shot")"
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
flags=(--headless --no-sandbox --disable-gpu --disable-background-networking
  --disable-component-update --disable-sync --no-first-run --user-data-dir="$profile")
# a small script in the page reports each image's state into the DOM once the page has loaded
probe="$profile/probe.html"
sed 's#</body>#<script>window.addEventListener("load",()=>{const r=[...document.images].map(i=>(i.complete\&\&i.naturalWidth>0?"LOADED ":"BROKEN ")+i.naturalWidth+"x"+i.naturalHeight);const p=document.createElement("pre");p.id="image-report";p.textContent="IMAGES "+r.length+"\\n"+r.join("\\n");document.body.appendChild(p);});</script></body>#' \
  "$page" > "$probe"
dom="$(chromium "${flags[@]}" --virtual-time-budget=10000 --dump-dom "file://$probe" 2>/dev/null)"
report="$(printf '%s\n' "$dom" | sed -n '/<pre id="image-report">/,/<\/pre>/p' | sed 's/<[^>]*>//g')"
printf '%s\n' "$report" | head -1
total="$(printf '%s\n' "$report" | sed -n 's/^IMAGES \([0-9]*\)/\1/p')"
loaded="$(printf '%s\n' "$report" | grep -c '^LOADED' || true)"
if [ -z "$total" ] || [ "$total" -eq 0 ] || [ "$loaded" -ne "$total" ]; then
  echo "browser check failed: $loaded of ${total:-?} images loaded in $page" >&2
  printf '%s\n' "$report" >&2
  exit 1
fi
chromium "${flags[@]}" --hide-scrollbars --window-size=1100,2400 --screenshot="$shot" "file://$page" 2>/dev/null
echo "all $total images loaded in $page; screenshot: $shot"
