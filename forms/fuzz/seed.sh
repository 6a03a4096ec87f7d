#!/usr/bin/env bash
# Seeds the fuzz corpus with real files: the templates of both kinds in both
# languages as written by the portal, and LibreOffice's .ods and .xls of them.
# Then runs the reader's fuzz target for FUZZ_SECONDS (default 600).
#   forms/fuzz/seed.sh            (needs cargo-fuzz; LibreOffice is optional)
set -euo pipefail
cd "$(dirname "$0")"
corpus=corpus/read_upload
mkdir -p "$corpus"
bin="$(cd ../.. && pwd)/target/debug/portal-server"
(cd ../.. && cargo build -q -p server --bin portal-server)
for kind in a b; do
  for lang in it en; do
    "$bin" forms template --kind "$kind" --lang "$lang" --out "$corpus/template-$kind-$lang.xlsx" >/dev/null
  done
done
if command -v soffice >/dev/null; then
  soffice --headless --convert-to ods --outdir "$corpus" "$corpus/template-a-it.xlsx" >/dev/null 2>&1 || true
  soffice --headless --convert-to xls --outdir "$corpus" "$corpus/template-b-en.xlsx" >/dev/null 2>&1 || true
fi
ls -la "$corpus"
# RUSTC_BOOTSTRAP lets the stable toolchain accept the sanitizer flags cargo-fuzz passes.
RUSTC_BOOTSTRAP=1 cargo fuzz run read_upload "$corpus" -- \
  -max_total_time="${FUZZ_SECONDS:-600}" -rss_limit_mb=1024 -max_len=262144 -timeout=10
