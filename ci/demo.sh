#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The main job: build the `default` preset, decode the reference capture
# corpus/pcap/demo.pcap with `ikeharness decode --out DIR` (readable tree on stdout), and leave
# a run folder DIR = runs/demo-<timestamp>/ (runs/ is git-ignored) holding
# run.json, decoded.json, events.jsonl, metrics.json and metrics.prom.
# Usage: ci/demo.sh [INPUT]   (default INPUT: corpus/pcap/demo.pcap)
set -euo pipefail
cd "$(dirname "$0")/.."

input=${1:-corpus/pcap/demo.pcap}
tool=build/default/tools/ikeharness
expected=(run.json decoded.json events.jsonl metrics.json metrics.prom)

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
echo "==> $tool decode --out $run_dir $input"
rc=0
"$tool" decode --out "$run_dir" "$input" || rc=$?

missing=()
for f in "${expected[@]}"; do [ -e "$run_dir/$f" ] || missing+=("$f"); done

echo
echo "run folder: $run_dir"
ls -l "$run_dir" | tail -n +2 | awk '{ printf "  %8s  %s\n", $5, $NF }'
if [ -s "$run_dir/decoded.json" ]; then
    python3 - "$run_dir/decoded.json" <<'PY' || true
import json, sys
s = json.load(open(sys.argv[1])).get("summary")
if s is not None:
    print("summary: " + ", ".join(f"{k} {v}" for k, v in s.items()))
PY
fi

if [ ${#missing[@]} -gt 0 ]; then
    echo "ci/demo.sh: run folder lacks: ${missing[*]}" >&2
    exit 1
fi
if [ "$rc" -ne 0 ]; then
    echo "ci/demo.sh: ikeharness decode exited with $rc" >&2
    exit "$rc"
fi
