#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Configure and build one CMake preset (default: "default") into
# build/<preset>. Usage: ci/build.sh [PRESET] [extra cmake --build args...]
# Presets: default gcc clang asan fuzz afl coverage (CMakePresets.json).
set -euo pipefail
cd "$(dirname "$0")/.."

preset=${1:-default}
[ $# -gt 0 ] && shift

bash ci/deps.sh
cmake --preset "$preset"
cmake --build --preset "$preset" "$@"
