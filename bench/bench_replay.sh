#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Replay throughput: `ikeharness replay` (every rule, SK/SKF and ESP
# decryption, every report written: conformance.json, junit.xml,
# events.jsonl, metrics; --no-html, as the ratio's figure) against
# `tshark -r CAPTURE -T json` on
# the same capture in the same run, plus tshark with the same keys
# (ikev2_decryption_table and esp_sa, so it decrypts as well). Prints the
# figures and the ratios; never fails on a time (issue 8: ikeharness
# should be at least 10 times faster than tshark's JSON dissection). Also
# printed: the same with the HTML page (index.html: a second pass over the
# capture drawing the ladders) and the judgement alone in one process
# (`replay --bench`, no process start, no files).
#
# Usage: bench/bench_replay.sh [--exe IKEHARNESS] [--runs N] [CAPTURE KEYDIR]
#   default capture: bench/replay/bench-replay.yaml simulated once (about
#   1,200 IKE messages and 11,800 ESP packets, every one decryptable);
#   KEYDIR holds ike_keys.csv, esp_keys.csv and the Wireshark tables.
#   --runs N   repetitions of each side (default 5); the median counts
# Exit: 0 figures printed, 2 bad use or a tool missing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
exe=$root/build/default/tools/ikeharness
runs=5
cap=""
keys=""
while [ $# -gt 0 ]; do
  case $1 in
    --exe|--runs) [ $# -ge 2 ] || { echo "bench_replay: $1 needs a value" >&2; exit 2; } ;;&
    --exe) exe=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    -h|--help) sed -n '3,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "bench_replay: unknown option $1" >&2; exit 2 ;;
    *) if [ -z "$cap" ]; then cap=$1; else keys=$1; fi; shift ;;
  esac
done
[[ $runs =~ ^[1-9][0-9]?$ ]] || { echo "bench_replay: --runs must be 1..99" >&2; exit 2; }
[ -x "$exe" ] || { echo "bench_replay: $exe not built (cmake --build --preset default)" >&2; exit 2; }
command -v tshark >/dev/null || { echo "bench_replay: tshark not found (ci/deps.sh installs it)" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ -z "$cap" ]; then
  "$exe" sim "$here/replay/bench-replay.yaml" --out "$tmp/sim" >/dev/null
  cap=$tmp/sim/capture.pcap
  keys=$tmp/sim
fi
[ -f "$cap" ] || { echo "bench_replay: no capture $cap" >&2; exit 2; }
[ -n "$keys" ] && [ -f "$keys/ike_keys.csv" ] || { echo "bench_replay: KEYDIR needs ike_keys.csv" >&2; exit 2; }

# one replay to count what the capture holds (and to check it runs clean)
"$exe" replay "$cap" --keys "$keys" --out "$tmp/rp" --fail-on none >"$tmp/rp.txt" 2>&1 \
  || { cat "$tmp/rp.txt" >&2; exit 2; }
read -r frames ike esp < <(python3 -c '
import json,sys; s=json.load(open(sys.argv[1]))["summary"]
print(s["frames"], s["messages"], s["esp_packets"])' "$tmp/rp/conformance.json")

# median wall time of N runs of a command (seconds)
median() {
  local t=()
  for _ in $(seq "$runs"); do
    local a b
    a=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || true
    b=$(date +%s.%N)
    t+=("$(echo "$b - $a" | bc -l)")
  done
  printf '%s\n' "${t[@]}" | sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'
}

t_ikh=$(median "$exe" replay "$cap" --keys "$keys" --out "$tmp/rp2" --quiet --fail-on none --no-html)
t_ikh_html=$(median "$exe" replay "$cap" --keys "$keys" --out "$tmp/rp3" --quiet --fail-on none)
inproc=$("$exe" replay "$cap" --keys "$keys" --bench "$runs" | awk '/median/ {print $2}')
t_tsh=$(median tshark -n -r "$cap" -T json)
# tshark with the key tables, read from the key folder as its configuration
# folder (the way the decryption tests run it): it decrypts SK and ESP too
t_tshk=$(median env WIRESHARK_CONFIG_DIR="$keys" HOME="$keys" tshark -n -r "$cap" \
  -T json -o esp.enable_encryption_decode:TRUE)

rate() { echo "scale=0; $1 / $2" | bc -l; }
n=$((ike + esp))
echo "capture: $cap"
echo "  $frames frames: $ike IKE messages, $esp ESP packets (median of $runs runs, wall time, process start included)"
printf '%-52s %9s s %12s msgs/s\n' "ikeharness replay --bench (judgement, in process)" "$inproc" "$(rate "$n" "$inproc")"
printf '%-52s %9s s %12s msgs/s\n' "ikeharness replay (all rules, decryption, reports)" "$t_ikh" "$(rate "$n" "$t_ikh")"
printf '%-52s %9s s %12s msgs/s\n' "ikeharness replay, also the HTML page" "$t_ikh_html" "$(rate "$n" "$t_ikh_html")"
printf '%-52s %9s s %12s msgs/s\n' "tshark -r CAPTURE -T json" "$t_tsh" "$(rate "$n" "$t_tsh")"
printf '%-52s %9s s %12s msgs/s\n' "tshark -T json with the key tables (decrypting)" "$t_tshk" "$(rate "$n" "$t_tshk")"
echo "ratio: ikeharness is $(echo "scale=1; $t_tsh / $t_ikh" | bc -l)x faster than tshark -T json," \
  "$(echo "scale=1; $t_tshk / $t_ikh" | bc -l)x faster than tshark decrypting (goal: >= 10x);" \
  "with the HTML page $(echo "scale=1; $t_tsh / $t_ikh_html" | bc -l)x"
