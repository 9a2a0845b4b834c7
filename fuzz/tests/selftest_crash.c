/* SPDX-License-Identifier: MIT */
/*
 * A libFuzzer binary that crashes on purpose, for the test of ci/fuzz.sh's
 * crash path (fuzz/tests/test_fuzzrun_crash.py): an input that starts with
 * "IKH!" aborts. Not a fuzz target of the project (no fuzz_ prefix, not in
 * fuzz_targets.txt, never in ClusterFuzzLite).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size >= 4 && memcmp(data, "IKH!", 4) == 0)
        abort();
    return 0;
}
