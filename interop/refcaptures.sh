#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Refresh the strongSwan reference captures in corpus/pcap/strongswan/ from
# interop runs (interop/run.sh; needs root, like the runner).
#
# For each case below, copies from the case's output folder into
# corpus/pcap/strongswan/<case>/:
#   wire.pcap                 tcpdump on ikeharness's side of the veth: the
#                             real packets between ikeharness and charon
#   ikev2_decryption_table,   Wireshark key tables ikeharness wrote (it is
#   esp_sa                    one end of every SA)
#   ike_keys.csv, esp_keys.csv  every SA's keys with IANA numbers (when the
#                             peer wrote them: ChaCha20-Poly1305 too)
#   run.json                  ikeharness's run record (key table counts)
#   charon.log                charon's log at ike/chd level 4: the same keys
#                             as charon saw them
#   swanctl.conf, scenario.yaml  both sides' configuration
# and writes corpus/pcap/strongswan/README.md (one line per capture).
# The copies are never made by CI: run this by hand when a case or the
# peer changes, check `git diff --stat`, commit.
#
# Usage: interop/refcaptures.sh [--out DIR]   (DIR: where run.sh writes;
#   default a temporary folder, removed afterwards)
# Exit: as interop/run.sh (nothing is copied unless every case passed).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
dest=$root/corpus/pcap/strongswan
cases=(
  psk-ikh-initiator
  psk-charon-initiator
  suite-aes256-sha384-ecp384-charon-init
  suite-aes128-sha1-modp3072-ikh-init
  suite-chacha20poly1305-x25519-ikh-init
  frag-sig-charon-init
  ipv6-outer
  rekey-ike-charon
  cookie
  invalid-ke-retry
)
out=""
case ${1:-} in
  --out) [ $# -ge 2 ] || { echo "refcaptures.sh: --out needs a folder" >&2; exit 2; }
    out=$2 ;;
  "") ;;
  *) echo "usage: interop/refcaptures.sh [--out DIR]" >&2; exit 2 ;;
esac
tmp=""
if [ -z "$out" ]; then
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/ikh-refcap.XXXXXX")
  out=$tmp
fi
trap '[ -z "$tmp" ] || rm -rf "$tmp"' EXIT

bash "$here/run.sh" --out "$out" "${cases[@]}"

ver=$(swanctl --version 2>/dev/null | head -n1 || echo "strongSwan (version unknown)")
mkdir -p "$dest"
{
  echo "# strongSwan reference captures"
  echo
  echo "Real packets between \`ikeharness peer\` and strongSwan's charon"
  echo "($ver, kernel-libipsec, so IKE and ESP move to UDP 4500 after"
  echo "IKE_SA_INIT), taken by \`interop/refcaptures.sh\` from interop runs:"
  echo "\`wire.pcap\` (Ethernet, tcpdump on ikeharness's veth) with the key"
  echo "tables ikeharness wrote, its run.json and charon's level-4 log (the"
  echo "same keys from the other end). \`interop/refcaptures.sh\` explains"
  echo "every file; CTest \`interop_refcaptures\` checks that each capture"
  echo "decrypts with its tables."
  echo
  echo "| capture | what it holds |"
  echo "|---|---|"
} >"$dest/README.md.tmp"
for c in "${cases[@]}"; do
  src=$out/$c
  d=$dest/$c
  rm -rf "$d"
  mkdir -p "$d"
  cp "$src/wire.pcap" "$src/charon.log" "$src/swanctl.conf" "$src/scenario.yaml" "$d/"
  for f in ikev2_decryption_table esp_sa ike_keys.csv esp_keys.csv run.json; do
    [ -f "$src/ikh/$f" ] && cp "$src/ikh/$f" "$d/"
  done
  printf '| %s/wire.pcap | %s |\n' "$c" "$(head -n1 "$here/cases/$c/README.md")" >>"$dest/README.md.tmp"
done
mv "$dest/README.md.tmp" "$dest/README.md"
echo "refcaptures.sh: ${#cases[@]} captures in $dest" >&2
