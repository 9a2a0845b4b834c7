#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Install every Debian package ikeharness needs. Idempotent and quiet: when
# everything is present it does nothing (no apt-get update, no output). When
# it installs, apt's output goes to a temporary log that is printed only if
# apt fails.
set -euo pipefail

pkgs=(
  build-essential cmake ninja-build pkg-config git
  clang llvm libclang-rt-14-dev clang-format
  nettle-dev libgmp-dev libpcap-dev libcmocka-dev libyaml-dev
  afl++ tshark doxygen python3 python3-yaml
  strongswan-swanctl charon-systemd libstrongswan-standard-plugins
  libstrongswan-extra-plugins libcharon-extra-plugins iproute2 tcpdump iputils-ping
  chromium chromium-driver python3-selenium
)

missing=()
for p in "${pkgs[@]}"; do
  st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [ "$st" = installed ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "ci/deps.sh: missing packages (${missing[*]}) and not root: run as root" >&2
  exit 2
fi
export DEBIAN_FRONTEND=noninteractive
echo "ci/deps.sh: installing ${missing[*]}" >&2

log=$(mktemp "${TMPDIR:-/tmp}/ikh-deps.XXXXXX")
trap 'rm -f "$log"' EXIT

# Run one apt step with its output in $log; on failure show the log and stop.
quiet() {
  if ! "$@" >>"$log" 2>&1; then
    echo "ci/deps.sh: failed: $*" >&2
    cat "$log" >&2
    exit 1
  fi
}

# tshark asks whether non-root users may capture; answer no, non-interactively.
echo "wireshark-common wireshark-common/install-setuid boolean false" \
  | quiet debconf-set-selections
quiet apt-get update -q
quiet apt-get install -y -q --no-install-recommends "${missing[@]}"
