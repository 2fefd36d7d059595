#!/usr/bin/env bash
# Offline-bundle smoke test for humans: build the bundle (or take one), install it into a fresh venv with
# pip's network use disabled, start `news-service serve` from that venv in a temporary directory, and
# check health + a company search. CI runs the same steps as tests/integration/test_offline_bundle.py.
#
#   scripts/offline_smoke.sh                 build into a temporary directory, then test
#   scripts/offline_smoke.sh --bundle DIR    test an existing bundle (e.g. bundle/ from `make bundle`)
#   --keep                                   keep the temporary venv and logs
#
# When it runs as root and `unshare` works, pip runs in a network namespace with no network at all;
# otherwise `--no-index` / PIP_NO_INDEX=1 keep it off every index.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUNDLE="" KEEP=0
while [ $# -gt 0 ]; do
  case $1 in
    --bundle) BUNDLE=$(cd "$2" && pwd); shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

WORK=$(mktemp -d -t news-offline-XXXXXX)
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [ "$KEEP" = 1 ]; then echo "kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
step() { printf '\n== %s\n' "$*"; }
fail() { printf 'FAIL: %s\n' "$*" >&2; [ -f "$WORK/serve.log" ] && tail -20 "$WORK/serve.log" >&2; exit 1; }

if [ -z "$BUNDLE" ]; then
  step "building the bundle"
  BUNDLE=$WORK/bundle
  "$ROOT/scripts/bundle.sh" "$BUNDLE"
fi
[ -x "$BUNDLE/install.sh" ] || fail "$BUNDLE/install.sh missing: not a bundle"

step "installing from $BUNDLE with pip's network use disabled"
offline=()
if [ "$(id -u)" = 0 ] && unshare -n true 2>/dev/null; then
  offline=(unshare -n)
  echo "(pip runs in a network namespace without network)"
fi
"${offline[@]}" env PIP_NO_INDEX=1 INSTALL_NO_COMPILE="${INSTALL_NO_COMPILE:-1}" "$BUNDLE/install.sh" "$WORK/venv"

step "starting news-service serve from the new venv"
PORT=$("$WORK/venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$WORK/run"
(cd "$WORK/run" && exec env -i PATH=/usr/bin:/bin HOME="$WORK/run" LANG=C.UTF-8 HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 \
   MODELS_DIR="$BUNDLE/models" NEWS_ARCHIVE_PATH="$BUNDLE/data/archive/sample_news.jsonl" \
   "$WORK/venv/bin/news-service" serve --host 127.0.0.1 --port "$PORT" > "$WORK/serve.log" 2>&1) &
SERVER_PID=$!
BASE=http://127.0.0.1:$PORT
PY=$WORK/venv/bin/python
for _ in $(seq 180); do
  "$PY" -c "import urllib.request as u; u.urlopen('$BASE/api/v1/system/health', timeout=2)" 2>/dev/null && break
  kill -0 "$SERVER_PID" 2>/dev/null || fail "the server exited"
  sleep 1
done

step "smoke test"
"$PY" - "$BASE" <<'CHECK' || fail "smoke test"
import json, sys, urllib.parse, urllib.request
base = sys.argv[1]
health = json.load(urllib.request.urlopen(f"{base}/api/v1/system/health", timeout=10))
print("health:", health["status"], "| mode", health["mode"], "| source", health["news_source"],
      "| classifier", health["ml"]["ml_service_status"], repr(health["ml"]["model_name"]), "on", health["device"])
req = urllib.request.Request(
    f"{base}/api/v1/search/companies/{urllib.parse.quote('삼성전자')}", data=b'{"max_results": 10}',
    headers={"Content-Type": "application/json"}, method="POST")
body = json.load(urllib.request.urlopen(req, timeout=60))
items = body["items"]
print(f"search 삼성전자: {len(items)} items, first: {items[0]['title'] if items else '-'}")
assert items, "the company search returned no items"
CHECK
echo
echo "PASS: offline bundle installs without network and serves ($BUNDLE)"
