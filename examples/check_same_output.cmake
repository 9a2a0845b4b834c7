# SPDX-License-Identifier: MIT
# cmake -DEXE=<program> -DSEED=<n> [-DOTHER_SEED=<m>] -P check_same_output.cmake
#
# Runs EXE SEED twice and fails unless both runs exit 0 and print exactly the
# same stdout: the run depends only on its seed (the embedder supplies clock,
# network and randomness). With OTHER_SEED, also runs EXE OTHER_SEED and
# fails if that transcript is the same (the seed really feeds the run).
if(NOT EXE OR NOT DEFINED SEED)
  message(FATAL_ERROR "usage: cmake -DEXE=prog -DSEED=n -P ${CMAKE_SCRIPT_MODE_FILE}")
endif()

function(run_once seed out_var)
  execute_process(COMMAND ${EXE} ${seed}
                  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${EXE} ${seed} exited ${rc}:\n${err}")
  endif()
  set(${out_var} "${out}" PARENT_SCOPE)
endfunction()

run_once(${SEED} first)
run_once(${SEED} second)
if(NOT first STREQUAL second)
  message(FATAL_ERROR "seed ${SEED}: two runs printed different transcripts:\n"
                      "--- first\n${first}--- second\n${second}")
endif()
string(LENGTH "${first}" n)
message(STATUS "seed ${SEED}: two runs, same transcript (${n} characters)")

if(DEFINED OTHER_SEED)
  run_once(${OTHER_SEED} other)
  if(other STREQUAL first)
    message(FATAL_ERROR "seeds ${SEED} and ${OTHER_SEED} printed the same "
                        "transcript: the seed does not reach the run")
  endif()
  message(STATUS "seed ${OTHER_SEED}: a different transcript, as it should")
endif()
