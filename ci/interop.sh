#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Interop tests against strongSwan (interop/run.sh): installs the packages
# (ci/deps.sh), builds the default preset (ci/build.sh), checks the
# namespace/charon plumbing charon to charon (--selftest), then runs the
# cases. Usage: ci/interop.sh [CASE...]   (default: every interop/cases/*)
# Environment: IKH_INTEROP_OUT output folder (default runs/interop-<UTC time>).
# Exit: as interop/run.sh: 0 pass, 1 a case failed, 2 environment broken,
# 127 `ikeharness peer` not available.
set -euo pipefail
cd "$(dirname "$0")/.."

out=${IKH_INTEROP_OUT:-runs/interop-$(date -u +%Y%m%dT%H%M%S)}
log=$(mktemp "${TMPDIR:-/tmp}/ikh-interop-build.XXXXXX")
trap 'rm -f "$log"' EXIT
if ! bash ci/build.sh default >"$log" 2>&1; then
  cat "$log" >&2
  echo "ci/interop.sh: build of preset default failed: no interop case ran" >&2
  exit 2
fi
export IKH_EXE=$PWD/build/default/tools/ikeharness

if ! bash interop/run.sh --selftest --out "$out/selftest"; then
  echo "ci/interop.sh: charon to charon self-test failed: environment broken (see $out/selftest)" >&2
  exit 2
fi
bash interop/run.sh --out "$out" "$@"
