#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Interoperability runs of `ikeharness peer` against strongSwan's charon.
#
#   ikh-<pid>-<2n-1>                          ikh-<pid>-<2n>
#  +------------------------------+          +------------------------------+
#  | ikeharness peer --name ikh   |          | charon-systemd (own          |
#  |                              |          |  strongswan.conf, vici socket|
#  | lo   10.1.0.1/32 (inner)     |          |  in a short temp folder,     |
#  |                              |          |  kernel-libipsec -> ipsec0)  |
#  |                              |          | lo   10.2.0.1/32 (inner)     |
#  | ikh0 192.0.2.1/24 ===========veth=========== chn0 192.0.2.2/24        |
#  |  (tcpdump -> wire.pcap)      |          |                              |
#  +------------------------------+          +------------------------------+
#
# Every case gets a fresh pair of namespaces (n = 1, 2, ... in case order).
# A case whose scenario uses IPv6 outer addresses gets 2001:db8::1/64
# (ikh0) and 2001:db8::2/64 (chn0) instead of the IPv4 pair; the inner
# addresses stay as drawn.
# The kernel here has no ESP, so charon does ESP in userspace
# (kernel-libipsec, a TUN device); libipsec always acts as if behind a NAT,
# so from IKE_AUTH on both sides use the NAT-T port (RFC 3948).
#
# Usage: interop/run.sh [CASE...] [--out DIR] [--jobs N] [--selftest] [--keep]
#                       [--baseline DIR]
#   CASE        names under interop/cases/ (default: all of them)
#   --out DIR   output folder (default runs/interop-<UTC time>)
#   --jobs N    cases run at once, each in its own namespace pair
#               (default 2, or IKH_INTEROP_JOBS)
#   --selftest  instead of the cases: charon to charon through the same
#               plumbing (namespaces, veth, kernel-libipsec, ping across the
#               tunnel); checks the environment without ikeharness
#   --keep      do not delete namespaces and processes at the end (debugging)
#   --baseline DIR  an earlier run folder: DIR/index.html (ikeharness
#               report) lists the cases that newly fail and newly pass
# Environment: IKH_EXE (default build/default/tools/ikeharness),
#   CAPDEC (default: capdec_check of the same build tree, pcap/tests/),
#   CHARON (default /usr/sbin/charon-systemd), IKH_INTEROP_SLACK (seconds a
#   peer may overrun its scenario's duration, default 30).
# Exit: 0 every case passed, 1 a case failed, 2 the environment is broken
#   (or a case is malformed) or bad use (an unknown option or case name,
#   checked before the environment), 127 the peer command is not available.
# Output: DIR/<case>/ (charon.log, strongswan.conf, swanctl.conf,
#   scenario.yaml, wire.pcap, charon-sas*.raw, ikh/ run folder with
#   capture.pcap and key tables, replay-ikh/ and replay-wire/ (ikeharness
#   replay of both captures: every MUST rule), result.txt), DIR/junit.xml,
#   DIR/summary.json, DIR/index.html (ikeharness report: the case table,
#   each case's peer and replay pages linked), and a table on stdout.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
helper=$here/lib/interop.py
IKH_EXE=${IKH_EXE:-$root/build/default/tools/ikeharness}
CAPDEC=${CAPDEC:-$(dirname "$(dirname "$IKH_EXE")")/pcap/tests/capdec_check}
CHARON=${CHARON:-/usr/sbin/charon-systemd}
slack=${IKH_INTEROP_SLACK:-30}

IKH_ADDR4=192.0.2.1
CHN_ADDR4=192.0.2.2
IKH_ADDR6=2001:db8::1
CHN_ADDR6=2001:db8::2
IKH_ADDR=$IKH_ADDR4
CHN_ADDR=$CHN_ADDR4
IKH_INNER=10.1.0.1
CHN_INNER=10.2.0.1

out=""
selftest=0
keep=0
baseline=""
cases=()
jobs_max=${IKH_INTEROP_JOBS:-2}
while [ $# -gt 0 ]; do
  case $1 in
    --jobs) [ $# -ge 2 ] || { echo "interop/run.sh: --jobs needs a number" >&2; exit 2; }
      jobs_max=$2; shift 2 ;;
    --out) [ $# -ge 2 ] || { echo "interop/run.sh: --out needs a folder" >&2; exit 2; }
      out=$2; shift 2 ;;
    --out=*) out=${1#--out=}; shift ;;
    --selftest) selftest=1; shift ;;
    --keep) keep=1; shift ;;
    --baseline) [ $# -ge 2 ] && [ -d "$2" ] || { echo "interop/run.sh: --baseline needs an earlier run folder" >&2; exit 2; }
      baseline=$(cd "$2" && pwd); shift 2 ;;
    -h|--help) sed -n '3,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "interop/run.sh: unknown option $1" >&2; exit 2 ;;
    *) cases+=("$1"); shift ;;
  esac
done
[ -n "$out" ] || out=$root/runs/interop-$(date -u +%Y%m%dT%H%M%S)
[[ $jobs_max =~ ^[1-9][0-9]?$ ]] || { echo "interop/run.sh: --jobs: want 1..99, got '$jobs_max'" >&2; exit 2; }

envfail() {
  echo "interop/run.sh: ENVIRONMENT ERROR: $*" >&2
  exit 2
}

# --- cleanup: every process and namespace we created, even on failure ---
pids=()
nss=()
stop_pid() {
  local p=$1 i
  kill -0 "$p" 2>/dev/null || return 0
  kill -TERM "$p" 2>/dev/null || true
  for i in 1 2 3 4 5 6 7 8 9 10; do
    kill -0 "$p" 2>/dev/null || break
    sleep 0.3
    : "$i"
  done
  kill -KILL "$p" 2>/dev/null || true
  wait "$p" 2>/dev/null || true
}
del_ns() {
  local ns=$1 p
  ip netns list 2>/dev/null | grep -qw -- "$ns" || return 0
  for p in $(ip netns pids "$ns" 2>/dev/null); do
    kill -KILL "$p" 2>/dev/null || true
  done
  ip netns del "$ns" 2>/dev/null || true
}
cleanup() {
  local p ns
  if [ "$keep" = 1 ]; then
    [ ${#nss[@]} -eq 0 ] || echo "interop/run.sh: --keep: left ${nss[*]} and pids ${pids[*]:-}" >&2
    return 0
  fi
  for p in "${pids[@]}"; do stop_pid "$p"; done
  pids=()
  for ns in "${nss[@]}"; do del_ns "$ns"; done
  nss=()
  # the main shell also sweeps namespaces its case jobs may have left
  if [ "$BASHPID" = "$$" ]; then
    for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep "^ikh-$$-" || true); do
      del_ns "$ns"
    done
  fi
}
# vici sockets live in a short folder of their own: a unix socket path is
# limited to 108 octets, and case output folders can be deeper than that
sockdir=$(mktemp -d "${TMPDIR:-/tmp}/ikh-vici.XXXXXX")
# vici_sock DIR: the socket path of the charon instance of DIR
vici_sock() {
  printf '%s/%s.vici' "$sockdir" "$(printf '%s' "$1" | cksum | cut -d' ' -f1)"
}
trap 'cleanup; rm -rf "$sockdir"' EXIT
trap 'echo "interop/run.sh: interrupted" >&2; exit 2' INT TERM

# --- preflight: anything missing is an environment error, said clearly ---
preflight() {
  local c pl
  [ "$(id -u)" -eq 0 ] || envfail "needs root (network namespaces, charon)"
  for c in ip swanctl tcpdump ss ping python3 setsid; do
    command -v "$c" >/dev/null || envfail "'$c' not found (run ci/deps.sh)"
  done
  [ -x "$CHARON" ] || envfail "charon not found at $CHARON (package charon-systemd; run ci/deps.sh)"
  for pl in kernel-libipsec kernel-netlink socket-default vici gcm openssl curve25519; do
    [ -e "/usr/lib/ipsec/plugins/libstrongswan-$pl.so" ] \
      || envfail "strongSwan plugin $pl missing (run ci/deps.sh)"
  done
  [ -c /dev/net/tun ] || envfail "/dev/net/tun missing: kernel-libipsec needs TUN"
  python3 -c 'import yaml' 2>/dev/null || envfail "python3-yaml missing (run ci/deps.sh)"
  local probe=ikh-$$-probe
  ip netns add "$probe" 2>/dev/null || envfail "cannot create network namespaces (ip netns add)"
  ip netns del "$probe"
  if [ "$selftest" = 0 ]; then
    [ -x "$IKH_EXE" ] || envfail "ikeharness not found at $IKH_EXE (ci/interop.sh builds it; or set IKH_EXE)"
    [ -x "$CAPDEC" ] || envfail "capdec_check not found at $CAPDEC (built with ikeharness; or set CAPDEC)"
  fi
}

# --- topology ---
nsn=0
# make_pair: creates the two namespaces of one case; sets NSI (ikeharness
# side) and NSC (charon side).
make_pair() {
  NSI=ikh-$$-$((nsn + 1))
  NSC=ikh-$$-$((nsn + 2))
  nsn=$((nsn + 2))
  ip netns add "$NSI" || envfail "ip netns add $NSI failed"
  nss+=("$NSI")
  ip netns add "$NSC" || envfail "ip netns add $NSC failed"
  nss+=("$NSC")
  ip -n "$NSI" link add ikh0 type veth peer name chn0 netns "$NSC" \
    || envfail "cannot create the veth pair"
  ip -n "$NSI" link set lo up
  ip -n "$NSC" link set lo up
  if [ "$IKH_ADDR" = "$IKH_ADDR6" ]; then
    # nodad: usable at once, no duplicate address detection wait
    ip -n "$NSI" addr add "$IKH_ADDR/64" dev ikh0 nodad
    ip -n "$NSC" addr add "$CHN_ADDR/64" dev chn0 nodad
  else
    ip -n "$NSI" addr add "$IKH_ADDR/24" dev ikh0
    ip -n "$NSC" addr add "$CHN_ADDR/24" dev chn0
  fi
  ip -n "$NSI" addr add "$IKH_INNER/32" dev lo
  ip -n "$NSC" addr add "$CHN_INNER/32" dev lo
  ip -n "$NSI" link set ikh0 up
  ip -n "$NSC" link set chn0 up
}

# write_swconf DIR PORT NATT [OPTIONS]: charon's strongswan.conf for one
# instance; OPTIONS (a case's charon-options.conf) go into the charon section.
write_swconf() {
  local dir=$1 port=$2 natt=$3 extra=""
  [ -z "${4:-}" ] || extra=$(sed 's/^/  /' "$4")
  cat >"$dir/strongswan.conf" <<EOF
# Generated by interop/run.sh: one charon instance (STRONGSWAN_CONF).
# kernel-libipsec must come before kernel-netlink: the kernel has no ESP.
charon {
  load_modular = no
  load = random nonce kdf openssl gcm aes sha1 sha2 hmac chapoly curve25519 gmp pem pkcs1 pkcs8 pubkey x509 constraints kernel-libipsec kernel-netlink socket-default vici
  port = $port
  port_nat_t = $natt
  retransmit_tries = 3
  retransmit_timeout = 2.0
$extra
  filelog {
    charon {
      path = $dir/charon.log
      append = no
      flush_line = yes
      time_format = %H:%M:%S
      ike_name = yes
      default = 1
      ike = 4
      chd = 4
      cfg = 2
      knl = 2
      net = 2
      esp = 2
    }
  }
  plugins {
    vici {
      socket = unix://$(vici_sock "$dir")
    }
  }
}
charon-systemd {
  journal {
    default = -1
  }
}
EOF
}

# start_charon NS DIR: starts charon-systemd in NS, waits for its vici socket;
# sets CHARON_PID. Returns 1 (with a reason in DIR/error.txt) on failure.
start_charon() {
  local ns=$1 dir=$2 i
  local sock
  sock=$(vici_sock "$dir")
  rm -f "$sock"
  setsid ip netns exec "$ns" env STRONGSWAN_CONF="$dir/strongswan.conf" "$CHARON" \
    >"$dir/charon.stdout" 2>&1 </dev/null &
  CHARON_PID=$!
  pids+=("$CHARON_PID")
  for i in $(seq 1 50); do
    [ -S "$sock" ] && break
    kill -0 "$CHARON_PID" 2>/dev/null || break
    sleep 0.2
    : "$i"
  done
  if ! [ -S "$sock" ]; then
    echo "charon did not open its vici socket (see charon.log, charon.stdout)" >"$dir/error.txt"
    return 1
  fi
  if grep -q 'unable to bind socket\|plugin .* failed to load\|failed to load' "$dir/charon.log" 2>/dev/null; then
    echo "charon: $(grep -m1 'unable to bind socket\|failed to load' "$dir/charon.log")" >"$dir/error.txt"
    return 1
  fi
}

# swan DIR ARGS...: swanctl against the instance of DIR.
swan() {
  local dir=$1
  shift
  swanctl "$@" --uri "unix://$(vici_sock "$dir")"
}

snapshot() {
  local dir=$1 name=$2
  swan "$dir" --list-sas --raw >"$dir/$name.tmp" 2>&1 || true
  mv "$dir/$name.tmp" "$dir/$name"
}

# wait_udp NS PORT: until something listens on UDP PORT in NS (10 s).
wait_udp() {
  local ns=$1 port=$2 i
  for i in $(seq 1 50); do
    if ip netns exec "$ns" ss -Hlun "sport = :$port" 2>/dev/null | grep -q .; then
      return 0
    fi
    sleep 0.2
    : "$i"
  done
  return 1
}

# first_block FILE SECTION: name of the first subsection of SECTION in a
# swanctl.conf ("connections" -> the IKE connection, "children" -> child).
first_block() {
  awk -v sec="$2" '
    { sub(/#.*/, "") }
    $1 == sec && $2 == "{" { want = 1; next }
    want && $2 == "{" { print $1; exit }
  ' "$1"
}

# --- checks of expect.txt ---
cmp_count() {
  local n=$1 op=$2 want=$3
  case $op in
    "==") [ "$n" -eq "$want" ] ;;
    "!=") [ "$n" -ne "$want" ] ;;
    ">=") [ "$n" -ge "$want" ] ;;
    "<=") [ "$n" -le "$want" ] ;;
    ">") [ "$n" -gt "$want" ] ;;
    "<") [ "$n" -lt "$want" ] ;;
  esac
}

# check ODIR LINE: one expectation; prints "PASS|FAIL|BAD line: detail".
check() {
  local odir=$1 line=$2 side rest kind pat n op want state
  side=${line%%::*}
  rest=${line#*::}
  kind=${rest%%::*}
  pat=${rest#*::}
  if [ "$side" = "$line" ] || [ "$kind" = "$rest" ]; then
    echo "BAD $line: not side::check::pattern"
    return
  fi
  case $side::$kind in
    charon::sa|charon::ike_sa|charon::child_sa)
      if [[ $pat =~ ^([A-Za-z_]+)[[:space:]]*((==|!=|>=|<=|>|<)[[:space:]]*([0-9]+))?$ ]]; then
        state=${BASH_REMATCH[1]}
        op=${BASH_REMATCH[3]:-">="}
        want=${BASH_REMATCH[4]:-1}
      else
        echo "BAD $line: expected STATE or STATE OP N"
        return
      fi
      local k=ike
      [ "$kind" = child_sa ] && k=child
      n=$(python3 "$helper" count "$odir/charon-sas.raw" "$k" "$state")
      if cmp_count "$n" "$op" "$want"; then
        echo "PASS $line: found $n"
      else
        echo "FAIL $line: found $n $k SAs in $state, expected $op $want"
      fi ;;
    charon::raw)
      python3 "$helper" sas "$odir/charon-sas.raw" >"$odir/charon-sas.txt" 2>/dev/null || true
      if grep -Eq -- "$pat" "$odir/charon-sas.txt"; then
        echo "PASS $line"
      else
        echo "FAIL $line: no SA line matches (charon-sas.txt)"
      fi ;;
    charon::log)
      if grep -Eq -- "$pat" "$odir/charon.log" 2>/dev/null; then
        echo "PASS $line"
      else
        echo "FAIL $line: not in charon.log"
      fi ;;
    charon::initiate)
      local got=none
      [ -f "$odir/initiate.rc" ] && got=$(cat "$odir/initiate.rc")
      if { [ "$pat" = ok ] && [ "$got" = 0 ]; } || [ "$pat" = "$got" ]; then
        echo "PASS $line"
      else
        echo "FAIL $line: swanctl --initiate exit $got"
      fi ;;
    ikh::verdict)
      local v=none
      if [ -f "$odir/ikh/run.json" ]; then
        v=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("verdict","none"))' \
          "$odir/ikh/run.json" 2>/dev/null || echo unreadable)
      fi
      if [ "$v" = "$pat" ]; then echo "PASS $line"; else echo "FAIL $line: run.json verdict $v"; fi ;;
    ikh::exit)
      local rc
      rc=$(cat "$odir/ikh.rc" 2>/dev/null || echo none)
      if [ "$rc" = "$pat" ]; then echo "PASS $line"; else echo "FAIL $line: exit $rc"; fi ;;
    ikh::events)
      if grep -Eq -- "$pat" "$odir/ikh/events.jsonl" 2>/dev/null; then
        echo "PASS $line"
      else
        echo "FAIL $line: not in ikh/events.jsonl"
      fi ;;
    ikh::file)
      if [ -s "$odir/ikh/$pat" ]; then echo "PASS $line"; else echo "FAIL $line: ikh/$pat missing or empty"; fi ;;
    *) echo "BAD $line: unknown check $side::$kind" ;;
  esac
}

# --- actions.txt: what the runner does on charon's side during a case ---
# read_actions FILE: validates and loads a case's actions.txt (optional)
# into ACT_*; prints the reason and returns 1 when a line is malformed.
read_actions() {
  local f=$1 l a b c d
  ACT_PINGS=()
  ACT_KILL=""
  ACT_HALFOPEN=0
  [ -f "$f" ] || return 0
  while IFS= read -r l || [ -n "$l" ]; do
    l=${l%%#*}
    read -r a b c d <<<"$l" || true
    [ -n "${a:-}" ] || continue
    case $a in
      ping)
        # ping DST [COUNT [SRC]]
        [ -n "${b:-}" ] || { echo "actions.txt: 'ping DST [COUNT [SRC]]': no DST"; return 1; }
        [[ ${c:-5} =~ ^[1-9][0-9]?$ ]] || { echo "actions.txt: ping count must be 1..99: $c"; return 1; }
        ACT_PINGS+=("$b ${c:-5} ${d:-$CHN_INNER}") ;;
      kill-charon)
        [[ ${b:-} =~ ^[0-9]+$ ]] || { echo "actions.txt: 'kill-charon SECONDS': bad seconds '${b:-}'"; return 1; }
        ACT_KILL=$b ;;
      half-open)
        ACT_HALFOPEN=1 ;;
      *) echo "actions.txt: unknown action '$a' (ping, kill-charon, half-open)"; return 1 ;;
    esac
  done <"$f"
}

# start_pings NS ODIR: the pings of actions.txt from charon's side, in the
# background (one log each: ping-<n>.log); sets PING_PIDS.
start_pings() {
  local ns=$1 odir=$2 i=0 p dst cnt src
  PING_PIDS=()
  for p in "${ACT_PINGS[@]}"; do
    read -r dst cnt src <<<"$p"
    i=$((i + 1))
    echo "ping -c $cnt -i 0.2 -W 2 -I $src $dst (from charon's namespace)" >"$odir/ping-$i.log"
    ip netns exec "$ns" ping -n -c "$cnt" -i 0.2 -W 2 -I "$src" "$dst" >>"$odir/ping-$i.log" 2>&1 &
    PING_PIDS+=("$!")
    pids+=("$!")
  done
}

# check_pings ODIR STARTED: one check line per ping of actions.txt; every
# echo request must be answered.
check_pings() {
  local odir=$1 started=$2 i=0 p dst cnt src got
  for p in "${ACT_PINGS[@]}"; do
    read -r dst cnt src <<<"$p"
    i=$((i + 1))
    if [ "$started" = 0 ]; then
      echo "FAIL charon::ping::$dst: never sent (no Child SA INSTALLED on charon's side while ikeharness ran)"
      continue
    fi
    got=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$odir/ping-$i.log" | head -n1)
    if [ "${got:-0}" = "$cnt" ]; then
      echo "PASS charon::ping::$dst: $got/$cnt echo replies through the tunnel (ping-$i.log)"
    else
      echo "FAIL charon::ping::$dst: ${got:-0}/$cnt echo replies (ping-$i.log)"
    fi
  done
}

# --- one case ---
results=""
# record NAME ROLE SUITE RESULT T0 DETAILFILE
record() {
  local secs
  secs=$(awk -v a="$5" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$secs" "$6" >>"$results"
  printf 'interop: %-24s %s (%ss)\n' "$1" "$4" "$secs" >&2
}

# finish_case ODIR: stops the case's processes and namespaces.
finish_case() {
  cleanup
}

# detail ODIR HEADLINE CHECKFILE: result.txt with the charon log excerpt.
detail() {
  local odir=$1
  {
    echo "$2"
    if [ -f "$3" ]; then grep -v '^PASS' "$3" || true; fi
    [ -f "$odir/error.txt" ] && cat "$odir/error.txt"
    if [ -s "$odir/ikh.stdout" ]; then
      echo "--- ikeharness stdout (first 15 lines) ---"
      head -n 15 "$odir/ikh.stdout"
    fi
    if [ -s "$odir/ikh.stderr" ]; then
      echo "--- ikeharness stderr (last 10 lines) ---"
      tail -n 10 "$odir/ikh.stderr"
    fi
    echo "--- charon.log (last 40 lines) ---"
    tail -n 40 "$odir/charon.log" 2>/dev/null || echo "(no charon.log)"
  } >"$odir/result.txt"
}

run_case() {
  local name=$1 cdir=$here/cases/$1 odir=$out/$1 t0 f
  local role="?" suite="?" ike child rc ikh_pid init_pid deadline timed_out=0
  t0=$(date +%s%N)
  mkdir -p "$odir"
  for f in scenario.yaml swanctl.conf expect.txt; do
    if ! [ -f "$cdir/$f" ]; then
      echo "case folder $cdir lacks $f" >"$odir/error.txt"
      detail "$odir" "error: malformed case" /dev/null
      record "$name" "$role" "$suite" error "$t0" "$odir/result.txt"
      return
    fi
    cp "$cdir/$f" "$odir/$f"
  done
  local SCN_ROLE SCN_DURATION_MS SCN_ADDR SCN_PORT SCN_REMOTE_ADDR SCN_REMOTE_PORT SCN_REMOTE_NATT_PORT SCN_SUITE
  if ! eval "$(python3 "$helper" scenario "$cdir/scenario.yaml" ikh charon 2>"$odir/error.txt")"; then
    detail "$odir" "error: scenario.yaml unusable" /dev/null
    record "$name" "$role" "$suite" error "$t0" "$odir/result.txt"
    return
  fi
  role=$SCN_ROLE
  suite=$SCN_SUITE
  if [ "$SCN_ADDR" = "$IKH_ADDR6" ] && [ "$SCN_REMOTE_ADDR" = "$CHN_ADDR6" ]; then
    IKH_ADDR=$IKH_ADDR6 CHN_ADDR=$CHN_ADDR6
  else
    IKH_ADDR=$IKH_ADDR4 CHN_ADDR=$CHN_ADDR4
  fi
  if [ "$SCN_ADDR" != "$IKH_ADDR" ] || [ "$SCN_REMOTE_ADDR" != "$CHN_ADDR" ]; then
    echo "scenario addresses must be ikh=$IKH_ADDR4 charon=$CHN_ADDR4 (or ikh=$IKH_ADDR6 charon=$CHN_ADDR6), got $SCN_ADDR, $SCN_REMOTE_ADDR" >"$odir/error.txt"
    detail "$odir" "error: scenario addresses" /dev/null
    record "$name" "$role" "$suite" error "$t0" "$odir/result.txt"
    return
  fi
  ike=$(first_block "$cdir/swanctl.conf" connections)
  child=$(first_block "$cdir/swanctl.conf" children)
  local copt=""
  for f in actions.txt charon-options.conf; do
    [ -f "$cdir/$f" ] && cp "$cdir/$f" "$odir/$f"
  done
  [ -f "$cdir/charon-options.conf" ] && copt=$cdir/charon-options.conf
  local ACT_PINGS ACT_KILL ACT_HALFOPEN PING_PIDS=() why
  if ! why=$(read_actions "$cdir/actions.txt"); then
    echo "$why" >"$odir/error.txt"
    detail "$odir" "error: malformed actions.txt" /dev/null
    record "$name" "$role" "$suite" error "$t0" "$odir/result.txt"
    return
  fi
  read_actions "$cdir/actions.txt"

  make_pair
  ip netns exec "$NSI" tcpdump -i ikh0 -n -U --immediate-mode -w "$odir/wire.pcap" \
    2>"$odir/tcpdump.log" &
  pids+=("$!")

  write_swconf "$odir" "$SCN_REMOTE_PORT" "$SCN_REMOTE_NATT_PORT" "$copt"
  # swanctl reads credentials from the folders next to the file --file
  # names: bring the case's key folders along
  local d
  for d in pubkey pkcs8 private rsa ecdsa x509 x509ca; do
    [ -d "$cdir/$d" ] && cp -r "$cdir/$d" "$odir/$d"
  done
  if ! start_charon "$NSC" "$odir" \
    || ! swan "$odir" --load-all --noprompt --file "$odir/swanctl.conf" >"$odir/swanctl-load.log" 2>&1; then
    [ -s "$odir/error.txt" ] || { echo "swanctl --load-all failed:"; cat "$odir/swanctl-load.log"; } >"$odir/error.txt"
    finish_case
    detail "$odir" "error: charon did not start or load its configuration" /dev/null
    record "$name" "$role" "$suite" error "$t0" "$odir/result.txt"
    return
  fi

  if [ "$ACT_HALFOPEN" = 1 ]; then
    # a foreign IKE_SA_INIT from another port leaves a half-open IKE SA on
    # charon (RFC 7296 §2.6: what its cookie_threshold counts)
    if ! ip netns exec "$NSI" python3 "$helper" half-open "$IKH_ADDR" "$CHN_ADDR" \
        "$SCN_REMOTE_PORT" >"$odir/half-open.log" 2>&1; then
      { echo "half-open: charon did not answer the foreign IKE_SA_INIT:"; cat "$odir/half-open.log"; } >"$odir/error.txt"
      finish_case
      detail "$odir" "error: could not make a half-open IKE SA on charon" /dev/null
      record "$name" "$role" "$suite" error "$t0" "$odir/result.txt"
      return
    fi
  fi

  local t_ikh pinged=0 killed=0
  t_ikh=$(date +%s)
  ip netns exec "$NSI" "$IKH_EXE" peer --config "$cdir/scenario.yaml" --name ikh \
    --role "$role" --out "$odir/ikh" >"$odir/ikh.stdout" 2>"$odir/ikh.stderr" </dev/null &
  ikh_pid=$!
  pids+=("$ikh_pid")

  init_pid=""
  if [ "$role" = responder ]; then
    if wait_udp "$NSI" "$SCN_PORT"; then
      { rc=0
        swan "$odir" --initiate --ike "$ike" --child "$child" --timeout 20 \
          >"$odir/initiate.log" 2>&1 || rc=$?
        echo "$rc" >"$odir/initiate.rc"; } &
      init_pid=$!
    else
      echo "ikeharness did not listen on UDP $SCN_PORT: charon did not initiate" >"$odir/error.txt"
    fi
  fi

  deadline=$(( $(date +%s) + SCN_DURATION_MS / 1000 + slack ))
  while kill -0 "$ikh_pid" 2>/dev/null; do
    if [ -n "$ACT_KILL" ] && [ "$killed" = 0 ] && [ $(($(date +%s) - t_ikh)) -ge "$ACT_KILL" ]; then
      kill -KILL "$CHARON_PID" 2>/dev/null || true
      { wait "$CHARON_PID"; } 2>/dev/null || true # reaped quietly
      killed=1
      echo "$(date +%H:%M:%S) charon killed (SIGKILL) $ACT_KILL s after ikeharness started" >"$odir/kill.log"
    fi
    # no snapshots of a killed charon: keep the last one it answered
    [ "$killed" = 1 ] || snapshot "$odir" charon-sas.raw
    if [ "$pinged" = 0 ] && [ ${#ACT_PINGS[@]} -gt 0 ] && [ "$killed" = 0 ] \
      && [ "$(python3 "$helper" count "$odir/charon-sas.raw" child INSTALLED)" -ge 1 ]; then
      start_pings "$NSC" "$odir"
      pinged=1
    fi
    if [ "$(date +%s)" -gt "$deadline" ]; then
      timed_out=1
      echo "ikeharness still running ${slack}s after the scenario's duration: stopped" >>"$odir/error.txt"
      stop_pid "$ikh_pid"
      break
    fi
    sleep 1
  done
  rc=0
  wait "$ikh_pid" || rc=$?
  echo "$rc" >"$odir/ikh.rc"
  local pp
  for pp in "${PING_PIDS[@]}"; do wait "$pp" 2>/dev/null || true; done
  [ -f "$odir/charon-sas.raw" ] || snapshot "$odir" charon-sas.raw
  [ "$killed" = 1 ] || snapshot "$odir" charon-sas-after.raw
  python3 "$helper" sas "$odir/charon-sas.raw" >"$odir/charon-sas.txt" || true
  [ -z "$init_pid" ] || wait "$init_pid" 2>/dev/null || true
  finish_case

  local res headline
  while IFS= read -r l || [ -n "$l" ]; do
    l=${l%%#*}
    l=$(printf '%s' "$l" | sed 's/^[[:space:]]*//; s/[[:space:]]*$//')
    [ -n "$l" ] || continue
    check "$odir" "$l"
  done <"$cdir/expect.txt" >"$odir/checks.txt"
  check_pings "$odir" "$pinged" >>"$odir/checks.txt"
  # every capture ikeharness wrote decrypts in tshark with its key tables
  # (it is one end of every SA); ChaCha20-Poly1305 SAs, which tshark 4.0
  # cannot decrypt, are left out of the tables and counted as skipped
  if [ -f "$odir/ikh/run.json" ]; then
    local dec
    if dec=$(python3 "$root/tools/tests/scenario_check.py" decrypt-dir \
        --dir "$odir/ikh" 2>&1); then
      echo "PASS ikh::decrypt: $dec" >>"$odir/checks.txt"
    else
      echo "FAIL ikh::decrypt: $dec" >>"$odir/checks.txt"
    fi
    # and so does the tcpdump capture of the wire, with the same tables
    if [ -s "$odir/wire.pcap" ]; then
      if dec=$(python3 "$root/tools/tests/scenario_check.py" decrypt-dir \
          --dir "$odir/ikh" --pcap "$odir/wire.pcap" 2>&1); then
        echo "PASS wire::decrypt: $dec" >>"$odir/checks.txt"
      else
        echo "FAIL wire::decrypt: $dec" >>"$odir/checks.txt"
      fi
    fi
    # our own decryption of both captures with every SA's keys
    # (ike_keys.csv, esp_keys.csv): ChaCha20-Poly1305 included, which tshark
    # 4.0 cannot decrypt; the wire capture with the negative control too
    if ! grep -qv '^#' "$odir/ikh/ike_keys.csv" 2>/dev/null; then
      echo "PASS own::decrypt: no IKE SA got keys (nothing encrypted to check)" >>"$odir/checks.txt"
    else
      local k=own::decrypt
      for args in "--dir $odir/ikh" "--pcap $odir/wire.pcap --ike-keys $odir/ikh/ike_keys.csv --esp-keys $odir/ikh/esp_keys.csv --negative-control"; do
        # shellcheck disable=SC2086
        if dec=$("$CAPDEC" $args 2>&1); then
          echo "PASS $k: $(echo "$dec" | tr '\n' ' ')" >>"$odir/checks.txt"
        else
          echo "FAIL $k: $(echo "$dec" | tr '\n' ' ')" >>"$odir/checks.txt"
        fi
        k=own::decrypt-wire
      done
    fi
    # both captures pass every MUST conformance rule (ikeharness replay,
    # docs/conformance.md) with the keys ikeharness wrote
    local rp
    for pc in "ikh:$odir/ikh/capture.pcap" "wire:$odir/wire.pcap"; do
      [ -s "${pc#*:}" ] || continue
      if rp=$("$IKH_EXE" replay "${pc#*:}" --keys "$odir/ikh" --fail-on must \
          --quiet --out "$odir/replay-${pc%%:*}" 2>&1); then
        echo "PASS ${pc%%:*}::conformance: $(echo "$rp" | tail -n1)" >>"$odir/checks.txt"
      else
        echo "FAIL ${pc%%:*}::conformance: $(echo "$rp" | tr '\n' ' ')" >>"$odir/checks.txt"
      fi
    done
  fi
  if [ "$rc" -eq 127 ]; then
    res=unsupported
    headline="unsupported: ikeharness peer is not available ($(head -n1 "$odir/ikh.stderr"))"
  elif grep -q '^BAD' "$odir/checks.txt"; then
    res=error
    headline="error: malformed expect.txt"
  elif [ "$rc" -eq 2 ]; then
    res=error
    headline="error: ikeharness peer exit 2 (bad input or environment)"
  elif [ "$timed_out" = 1 ] || grep -q '^FAIL' "$odir/checks.txt"; then
    res=fail
    headline="fail: $(grep -c '^FAIL' "$odir/checks.txt") of $(grep -c . "$odir/checks.txt") checks failed (ikeharness exit $rc)"
  else
    res=pass
    headline="pass: $(grep -c . "$odir/checks.txt") checks"
  fi
  detail "$odir" "$headline" "$odir/checks.txt"
  record "$name" "$role" "$suite" "$res" "$t0" "$odir/result.txt"
}

# run_job IDX CASE: one case in a subshell of its own (namespaces numbered
# by IDX, its row of results in DIR/CASE/.row.tsv, its own cleanup).
run_job() {
  nsn=$((($1 - 1) * 2))
  mkdir -p "$out/$2"
  results=$out/$2/.row.tsv
  : >"$results"
  pids=()
  nss=()
  trap 'cleanup' EXIT
  trap 'exit 2' INT TERM
  run_case "$2"
}

# --- self-test: charon to charon over the same plumbing ---
run_selftest() {
  local name=selftest-charon-charon odir=$out/selftest-charon-charon t0 a b ok=1
  t0=$(date +%s%N)
  a=$odir/ikh-side
  b=$odir/charon-side
  mkdir -p "$a" "$b"
  make_pair
  write_swconf "$a" 500 4500
  write_swconf "$b" 500 4500
  local side lid rid lts rts
  for side in a b; do
    if [ $side = a ]; then lid=ikh.example rid=charon.example lts=$IKH_INNER rts=$CHN_INNER
      local dir=$a la=$IKH_ADDR ra=$CHN_ADDR
    else lid=charon.example rid=ikh.example lts=$CHN_INNER rts=$IKH_INNER
      dir=$b la=$CHN_ADDR ra=$IKH_ADDR
    fi
    cat >"$dir/swanctl.conf" <<EOF
connections {
  self {
    version = 2
    local_addrs = $la
    remote_addrs = $ra
    proposals = aes256gcm16-prfsha256-x25519
    local { auth = psk
      id = $lid }
    remote { auth = psk
      id = $rid }
    children {
      net {
        local_ts = $lts/32
        remote_ts = $rts/32
        esp_proposals = aes256gcm16
      }
    }
  }
}
secrets {
  ike-self { id-a = ikh.example
    id-b = charon.example
    secret = "interop selftest psk" }
}
EOF
  done
  if ! start_charon "$NSI" "$a" || ! start_charon "$NSC" "$b"; then
    ok=0
  fi
  [ $ok = 1 ] && swan "$a" --load-all --noprompt --file "$a/swanctl.conf" >"$a/load.log" 2>&1 || ok=0
  [ $ok = 1 ] && swan "$b" --load-all --noprompt --file "$b/swanctl.conf" >"$b/load.log" 2>&1 || ok=0
  [ $ok = 1 ] && swan "$a" --initiate --ike self --child net --timeout 15 >"$a/initiate.log" 2>&1 || ok=0
  [ $ok = 1 ] && ip netns exec "$NSI" ping -c 3 -i 0.3 -W 2 -I "$IKH_INNER" "$CHN_INNER" >"$odir/ping.log" 2>&1 || ok=0
  snapshot "$a" sas.raw
  snapshot "$b" sas.raw
  local na nb np
  na=$(python3 "$helper" count "$a/sas.raw" ike ESTABLISHED)
  nb=$(python3 "$helper" count "$b/sas.raw" child INSTALLED)
  np=$(python3 "$helper" sas "$b/sas.raw" | grep -o 'packets-in=[0-9]*' | head -n1 | cut -d= -f2)
  finish_case
  {
    if [ $ok = 1 ] && [ "$na" -ge 1 ] && [ "$nb" -ge 1 ] && [ "${np:-0}" -ge 3 ]; then
      echo "pass: charon <-> charon established, ping across kernel-libipsec (charon side packets-in=$np)"
    else
      echo "error: charon <-> charon plumbing broken (initiator IKE ESTABLISHED=$na, responder CHILD INSTALLED=$nb, packets-in=${np:-none})"
      cat "$a/error.txt" "$b/error.txt" 2>/dev/null || true
      echo "--- ping ---"; cat "$odir/ping.log" 2>/dev/null || true
      echo "--- initiate ---"; cat "$a/initiate.log" 2>/dev/null || true
    fi
    echo "--- initiator charon.log (last 30 lines) ---"; tail -n 30 "$a/charon.log" 2>/dev/null || true
    echo "--- responder charon.log (last 30 lines) ---"; tail -n 30 "$b/charon.log" 2>/dev/null || true
  } >"$odir/result.txt"
  local res=error
  head -n1 "$odir/result.txt" | grep -q '^pass' && res=pass
  record "$name" charon-initiator aes256gcm16-prfsha256-x25519/aes256gcm16 "$res" "$t0" "$odir/result.txt"
}

# --- main ---
# a case name that does not exist is bad use, said before any environment
# check (root, namespaces) so that a typo is not an environment error
for c in "${cases[@]}"; do
  if [ -z "$c" ] || [[ $c == */* ]] || [ ! -d "$here/cases/$c" ]; then
    echo "interop/run.sh: no case named $c under interop/cases (see interop/run.sh --help / ls interop/cases)" >&2
    exit 2
  fi
done
preflight
if [ "$selftest" = 0 ] && [ ${#cases[@]} -eq 0 ]; then
  for d in "$here"/cases/*/; do
    cases+=("$(basename "$d")")
  done
fi
mkdir -p "$out"
out=$(cd "$out" && pwd)
results=$out/results.tsv
: >"$results"
echo "interop: output in $out" >&2

if [ "$selftest" = 1 ]; then
  run_selftest
else
  "$IKH_EXE" --version >"$out/ikeharness-version.txt" 2>&1 || true
  swanctl --version >"$out/strongswan-version.txt" 2>&1 || true
  # up to --jobs cases at once, each in a subshell; rows in case order
  i=0
  for c in "${cases[@]}"; do
    i=$((i + 1))
    (run_job "$i" "$c") &
    pids+=("$!")
    while [ "$(jobs -rp | wc -l)" -ge "$jobs_max" ]; do
      wait -n 2>/dev/null || true
    done
  done
  while [ "$(jobs -rp | wc -l)" -gt 0 ]; do
    wait -n 2>/dev/null || true
  done
  pids=()
  for c in "${cases[@]}"; do
    if [ -s "$out/$c/.row.tsv" ]; then
      cat "$out/$c/.row.tsv" >>"$results"
    else
      echo "the case's job ended without a result (environment error: see stderr)" >"$out/$c/result.txt"
      printf '%s\t?\t?\terror\t0.0\t%s\n' "$c" "$out/$c/result.txt" >>"$results"
    fi
    rm -f "$out/$c/.row.tsv"
  done
fi

python3 "$helper" report "$out" "$results" || envfail "report generation failed"
# the HTML page; a page that cannot be drawn is a warning, not a verdict
if [ "$selftest" = 0 ] && [ -x "$IKH_EXE" ]; then
  rargs=("$out")
  [ -z "$baseline" ] || rargs+=(--baseline "$baseline")
  "$IKH_EXE" report "${rargs[@]}" >/dev/null ||
    echo "interop/run.sh: warning: ikeharness report could not write $out/index.html" >&2
fi
echo "interop: junit.xml, summary.json and index.html in $out" >&2
for f in "$out"/*/result.txt; do
  [ -f "$f" ] || continue
  # a failed case: its headline, failed checks and the peer's own words
  # (CI logs keep this even when the run folder is gone)
  case $(head -n1 "$f") in
    pass*) ;;
    *) echo "--- $(basename "$(dirname "$f")"): $(head -n1 "$f")" >&2
       sed -n '2,/^--- charon.log/p' "$f" | sed '$d' | head -n 40 | sed 's/^/    /' >&2 ;;
  esac
done

if cut -f4 "$results" | grep -qx error; then exit 2; fi
if cut -f4 "$results" | grep -qx fail; then exit 1; fi
if cut -f4 "$results" | grep -qx unsupported; then
  echo "interop/run.sh: 'ikeharness peer' is not available in $IKH_EXE: no case could run" >&2
  exit 127
fi
exit 0
