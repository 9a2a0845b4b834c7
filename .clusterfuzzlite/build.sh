#!/bin/bash -eu
# SPDX-License-Identifier: MIT
# ClusterFuzzLite / OSS-Fuzz build contract. Reads only $CC, $CXX, $CFLAGS,
# $CXXFLAGS, $LIB_FUZZING_ENGINE, $SRC and $OUT (the project is
# $SRC/ikeharness) and places in $OUT, for every fuzz target the CMake
# build lists (fuzz/fuzz_*.c and fuzz_wire_structured):
#   <t>                  the binary (sanitizers from $CFLAGS, engine from
#                        $LIB_FUZZING_ENGINE, linked by $CXX)
#   <t>_seed_corpus.zip  corpus/<c>/seed and corpus/<c>/regress
#   <t>.dict             fuzz/dict/<t>.dict (or that of its corpus <c>)
#   <t>.options          [libfuzzer] dict and max_len
# and in $OUT/lib the shared libraries the binaries need beyond libc
# (libpcap, Nettle, GMP, libyaml: the OSS-Fuzz runner image lacks them),
# found through the $ORIGIN/lib run path.
# The build tree is $SRC/ikeharness/build/cflite, so a rerun is
# incremental (ci/cflite_build_test.sh relies on it).

proj=$SRC/ikeharness
build=$proj/build/cflite

cmake -S "$proj" -B "$build" -G Ninja \
  -DCMAKE_BUILD_TYPE= \
  -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" \
  -DCMAKE_C_FLAGS="$CFLAGS" -DCMAKE_CXX_FLAGS="$CXXFLAGS" \
  -DCMAKE_BUILD_RPATH='$ORIGIN/lib' \
  -DIKH_FUZZ_ENGINE_LIBS="$LIB_FUZZING_ENGINE" \
  -DIKH_WERROR=OFF -DIKH_DOCS=OFF -DIKH_AFL_MUTATOR=OFF >/dev/null
cmake --build "$build" --target fuzz_all

mkdir -p "$OUT/lib"
while read -r t c; do
  [ -n "$t" ] || continue
  cp "$build/fuzz/$t" "$OUT/$t"
  files=()
  for sub in seed regress; do
    d=$proj/corpus/$c/$sub
    [ -d "$d" ] || continue
    for f in "$d"/*; do
      [ -f "$f" ] && [ "$(basename "$f")" != README.md ] && files+=("$f")
    done
  done
  rm -f "$OUT/${t}_seed_corpus.zip"
  if [ ${#files[@]} -gt 0 ]; then
    zip -q -j -X "$OUT/${t}_seed_corpus.zip" "${files[@]}"
  fi
  dict=$proj/fuzz/dict/$t.dict
  [ -f "$dict" ] || dict=$proj/fuzz/dict/$c.dict
  case $c in
    fuzz_scenario|fuzz_keyfile) max_len=16384 ;;
    *) max_len=65536 ;;
  esac
  {
    echo "[libfuzzer]"
    if [ -f "$dict" ]; then
      cp "$dict" "$OUT/$t.dict"
      echo "dict = $t.dict"
    fi
    echo "max_len = $max_len"
    # the target's own settings (fuzz/options/<t>.options, [libfuzzer])
    opts=$proj/fuzz/options/$c.options
    if [ -f "$opts" ]; then
      sed -e 's/#.*//' -e '/^[[:space:]]*$/d' -e '/^\[/d' "$opts"
    fi
  } >"$OUT/$t.options"
  # shared libraries outside the C runtime go next to the binaries
  ldd "$OUT/$t" | awk '/=> \// { print $3 }' | while read -r lib; do
    case $(basename "$lib") in
      libc.so*|libm.so*|libpthread.so*|libdl.so*|librt.so*|ld-linux*|\
      libstdc++.so*|libgcc_s.so*) ;;
      *) cp -L "$lib" "$OUT/lib/" ;;
    esac
  done
done <"$build/fuzz/fuzz_targets.txt"
