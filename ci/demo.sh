#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The main job: build the `default` preset and run the default scenario
# (corpus/scenarios/default.yaml: a full IKEv2 handshake, a Child SA rekey,
# an IKE SA rekey and a delete) in the deterministic simulator with
# `ikeharness sim`, leaving a run folder DIR = runs/demo-<timestamp>/
# (runs/ is git-ignored) with run.json, events.jsonl, metrics.json,
# metrics.prom, capture.pcap, ikev2_decryption_table, esp_sa and junit.xml.
# Usage: ci/demo.sh [SCENARIO [--seed N]]
#        (default SCENARIO: corpus/scenarios/default.yaml)
set -euo pipefail
cd "$(dirname "$0")/.."

input=${1:-corpus/scenarios/default.yaml}
shift || true
tool=build/default/tools/ikeharness
expected=(run.json events.jsonl metrics.json metrics.prom capture.pcap
          ikev2_decryption_table esp_sa junit.xml)

# Build output goes to a log, shown only when the build fails.
mkdir -p build/ci-logs
log=build/ci-logs/demo-build.log
bash ci/build.sh default >"$log" 2>&1 || {
    cat "$log" >&2
    echo "ci/demo.sh: build of the default preset failed (log: $log)" >&2
    exit 1
}

[ -x "$tool" ] || { echo "ci/demo.sh: $tool was not built" >&2; exit 1; }
[ -f "$input" ] || { echo "ci/demo.sh: input $input not found" >&2; exit 1; }

run_dir=runs/demo-$(date +%Y%m%dT%H%M%S)
mkdir -p "$run_dir"
echo "==> $tool sim $input --out $run_dir $*"
rc=0
"$tool" sim "$input" --out "$run_dir" "$@" || rc=$?

missing=()
for f in "${expected[@]}"; do [ -e "$run_dir/$f" ] || missing+=("$f"); done

echo
echo "run folder: $run_dir"
ls -l "$run_dir" | tail -n +2 | awk '{ printf "  %8s  %s\n", $5, $NF }'
if [ -s "$run_dir/run.json" ]; then
    python3 - "$run_dir/run.json" <<'PY' || true
import json, sys
r = json.load(open(sys.argv[1]))
print(f"verdict: {r['verdict']} (scenario {r['name']}, seed {r['seed']})")
for e in r["expectations"]:
    print(f"  {'pass' if e['pass'] else 'FAIL'}  {e['expect']}")
PY
    echo "open capture.pcap in Wireshark with WIRESHARK_CONFIG_DIR=$run_dir"
    echo "(it holds ikev2_decryption_table) to see every message decrypted"
fi

if [ ${#missing[@]} -gt 0 ]; then
    echo "ci/demo.sh: run folder lacks: ${missing[*]}" >&2
    exit 1
fi
if [ "$rc" -ne 0 ]; then
    echo "ci/demo.sh: ikeharness sim exited with $rc" >&2
    exit "$rc"
fi
