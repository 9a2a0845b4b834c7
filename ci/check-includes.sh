#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The sans-I/O boundary and the crypto boundary (STYLE.md §4, §8):
#  1. in stack/src only env/drv_udp.c may include <sys/socket.h>, <time.h>,
#     <sys/time.h>, <netdb.h>, <sys/random.h>, <poll.h>, <sys/select.h>,
#     <sys/epoll.h>, <netinet/*.h>, <arpa/inet.h>, <sys/un.h> or call
#     time(), clock(), clock_gettime(), gettimeofday(), nanosleep(),
#     usleep(), sleep(), getrandom(), getentropy(), arc4random*(), rand(),
#     srand(), random(), srandom(), *rand48(), socket(), bind(), connect(),
#     sendto(), recvfrom(), sendmsg(), recvmsg(), poll(), select(), open();
#  2. nothing in stack/src writes to stdio or opens files (printf, fprintf,
#     vprintf, vfprintf, dprintf, puts, fputs, putchar, perror, fopen,
#     freopen, fdopen); formatting into a buffer (snprintf) is fine;
#  3. only stack/src/crypto/ includes nettle/ headers and only
#     stack/src/crypto/ke_modp.c includes <gmp.h> (checked in stack/src,
#     stack/include, pcap, tools, fuzz, examples; tests and bench may use
#     Nettle directly to cross-check).
# Calls are matched as a name not preceded by an identifier character, '.'
# or '->' (so env->rand() and ikh_time() are fine); lines that start as a
# comment are ignored. Prints every offending line; exit 1 if any.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

bad=0

# sources DIR... : the C files under the existing DIRs, sorted.
sources() {
    local d dirs=()
    for d in "$@"; do [ -d "$d" ] && dirs+=("$d"); done
    [ ${#dirs[@]} -gt 0 ] || return 0
    find "${dirs[@]}" -type f \( -name '*.c' -o -name '*.h' \) | LC_ALL=C sort
}

# check RULE REGEX FILE... : report lines of FILEs matching the PCRE REGEX.
check() {
    local rule=$1 re=$2 hits
    shift 2
    [ $# -gt 0 ] || return 0
    hits=$(grep -nHP -- "$re" "$@" | grep -vP '^[^:]+:[0-9]+:\s*(/\*|\*|//)')
    if [ -n "$hits" ]; then
        printf 'check-includes: %s:\n' "$rule"
        printf '%s\n' "$hits" | sed 's/^/  /'
        bad=1
    fi
}

mapfile -t stack_src < <(sources stack/src)
mapfile -t not_udp < <(printf '%s\n' "${stack_src[@]}" | grep -v '^stack/src/env/drv_udp\.c$' | grep .)

call() { printf '(?<![\\w.>])(%s)\\s*\\(' "$1"; }

check "only stack/src/env/drv_udp.c may include socket, clock or resolver headers" \
    '^\s*#\s*include\s*<(sys/socket|time|sys/time|netdb|sys/random|poll|sys/select|sys/epoll|netinet/\w+|arpa/inet|sys/un)\.h>' "${not_udp[@]}"
check "only stack/src/env/drv_udp.c may read the clock, use sockets or OS randomness" \
    "$(call 'time|clock|clock_gettime|gettimeofday|nanosleep|usleep|sleep|getrandom|getentropy|arc4random\w*|rand|srand|random|srandom|[dejlmn]rand48|socket|bind|connect|sendto|recvfrom|sendmsg|recvmsg|poll|select|open|openat')" "${not_udp[@]}"
check "stack/src writes no stdio output and opens no files" \
    "$(call 'printf|fprintf|vprintf|vfprintf|dprintf|puts|fputs|putchar|perror|fopen|freopen|fdopen')" \
    "${stack_src[@]}"

mapfile -t lib_src < <(sources stack/src stack/include pcap tools fuzz examples)
mapfile -t not_crypto < <(printf '%s\n' "${lib_src[@]}" | grep -v '^stack/src/crypto/' | grep .)
mapfile -t not_modp < <(printf '%s\n' "${lib_src[@]}" | grep -v '^stack/src/crypto/ke_modp\.c$' | grep .)

check "only stack/src/crypto/ may include Nettle" \
    '^\s*#\s*include\s*[<"]nettle/' "${not_crypto[@]}"
check "only stack/src/crypto/ke_modp.c may include GMP" \
    '^\s*#\s*include\s*[<"]gmp\.h[>"]' "${not_modp[@]}"

if [ "$bad" -ne 0 ]; then
    echo "check-includes: FAILED (STYLE.md §4: only env/drv_udp.c touches clock, sockets and OS randomness; §8: Nettle only in crypto/, GMP only in ke_modp.c)"
    exit 1
fi
echo "check-includes: ok (${#stack_src[@]} files in stack/src, ${#lib_src[@]} library/tool files)"
