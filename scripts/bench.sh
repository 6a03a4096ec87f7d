#!/usr/bin/env bash
# Load test on loopback: the portal's home page and the catalogue's list (10,000 sites
# online, filtered) against a bare axum "hello" handler, all release builds, measured
# in the same run with wrk (50 connections, 20 s each). Prints requests/s and p99
# latency for each, and their ratios to the handler. Bounded: four 20 s runs.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
T="${CARGO_TARGET_DIR:?}/release"
DURATION="${BENCH_SECONDS:-20}"
cargo build --release -p server --bin portal-server --example hello_baseline

data=$(mktemp -d)
# --demo publishes the made-up sites once, with the demo accounts.
PORTAL_ADDR=127.0.0.1:3901 PORTAL_DATA_DIR="$data" PORTAL_OUTBOX_WORKER=false RUST_LOG=warn \
  "$T/portal-server" serve --demo --demo-sites "${BENCH_SITES:-10000}" >/dev/null &
portal=$!
PORTAL_ADDR=127.0.0.1:3902 "$T/examples/hello_baseline" &
hello=$!
trap 'kill $portal $hello 2>/dev/null; rm -rf "$data"' EXIT
for url in http://127.0.0.1:3901/healthz http://127.0.0.1:3902/; do
  for _ in $(seq 600); do curl -fs "$url" >/dev/null && break; sleep 0.1; done
done
list='http://127.0.0.1:3901/opportunita?province=MI&province=MB&land_min=2000&sort=area'
curl -fs "$list" >/dev/null # builds the catalogue's index before the clock starts

measure() { # url [wrk options…]: prints "requests/s p99"
  wrk -t2 -c50 -d"${DURATION}s" --latency "$@" | awk '
    /Requests\/sec/ { rps = $2 }
    /^ +99%/ { p99 = $2 }
    /Non-2xx/ { print "non-2xx responses: " $0 > "/dev/stderr" }
    END { print rps, p99 }'
}
read -r home_rps home_p99 < <(measure http://127.0.0.1:3901/)
# As a browser asks for it (brotli, which the catalogue keeps compressed), and as curl does.
read -r list_rps list_p99 < <(measure "$list" -H "Accept-Encoding: gzip, br")
read -r plain_rps plain_p99 < <(measure "$list")
read -r hello_rps hello_p99 < <(measure http://127.0.0.1:3902/)
bytes=$(curl -s http://127.0.0.1:3901/ | wc -c)
list_bytes=$(curl -s "$list" | wc -c)
br_bytes=$(curl -s -H "Accept-Encoding: br" "$list" | wc -c)
printf '%-34s %12s %10s\n' "" "requests/s" "p99"
printf '%-34s %12s %10s\n' "home page (${bytes} B)" "$home_rps" "$home_p99"
printf '%-34s %12s %10s\n' "catalogue list, br (${br_bytes} B)" "$list_rps" "$list_p99"
printf '%-34s %12s %10s\n' "catalogue list, plain (${list_bytes} B)" "$plain_rps" "$plain_p99"
printf '%-34s %12s %10s\n' "bare axum hello" "$hello_rps" "$hello_p99"
awk -v a="$home_rps" -v b="$hello_rps" 'BEGIN { printf "home / hello throughput ratio: %.3f\n", a / b }'
awk -v a="$list_rps" -v b="$hello_rps" 'BEGIN { printf "catalogue list (br) / hello throughput ratio: %.3f (target 0.25)\n", a / b }'
awk -v a="$plain_rps" -v b="$hello_rps" 'BEGIN { printf "catalogue list (plain) / hello throughput ratio: %.3f\n", a / b }'
