#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The main job: build the `default` preset and run the default scenario
# (corpus/scenarios/default.yaml: a full IKEv2 handshake, a Child SA rekey,
# an IKE SA rekey and a delete) in the deterministic simulator with
# `ikeharness sim`, leaving a run folder DIR = runs/demo-<timestamp>/
# (runs/ is git-ignored) with run.json, events.jsonl, metrics.json,
# metrics.prom, capture.pcap, ikev2_decryption_table, esp_sa and junit.xml.
# Usage: ci/demo.sh [SCENARIO [--seed N]]
#        (default SCENARIO: corpus/scenarios/default.yaml; a seed needs a
#        SCENARIO before it: ci/demo.sh corpus/scenarios/default.yaml --seed 3)
#        ci/demo.sh --help prints this text.
# Exit: 0 the run passed, 1 it failed (an expectation, or a file missing from
# the run folder) or the build failed, 2 bad use or a scenario
# `ikeharness sim` rejects (its own message is shown; no run folder is left).
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { sed -n '3,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }
case ${1:-} in
  -h|--help) usage; exit 0 ;;
  -*) echo "ci/demo.sh: '$1': the first argument is a SCENARIO file, not an option" >&2
      usage >&2; exit 2 ;;
esac
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
[ -f "$input" ] || { echo "ci/demo.sh: scenario $input not found (see ci/demo.sh --help)" >&2; exit 2; }

# ikeharness sim makes the folder itself
run_dir=runs/demo-$(date +%Y%m%dT%H%M%S)
echo "==> $tool sim $input --out $run_dir $*"
rc=0
"$tool" sim "$input" --out "$run_dir" "$@" || rc=$?
if [ "$rc" -eq 2 ]; then
    # sim rejected the scenario or the arguments and said why (above);
    # an empty folder is no run folder
    [ ! -d "$run_dir" ] || rmdir "$run_dir" 2>/dev/null || true
    echo "ci/demo.sh: ikeharness sim exited with 2 (the scenario or arguments are wrong: see its message above)" >&2
    exit 2
fi

missing=()
for f in "${expected[@]}"; do [ -e "$run_dir/$f" ] || missing+=("$f"); done

# sim has printed "run folder: $run_dir"; here is what is in it
echo
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
