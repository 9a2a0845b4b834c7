# SPDX-License-Identifier: MIT
# Decode every capture in CORPUS with --json and check the output with
# python3 -m json.tool (the strongSwan reference captures of
# corpus/pcap/strongswan/ too). Fails on the first capture that does not
# decode.
file(GLOB caps ${CORPUS}/*.pcap ${CORPUS}/*.pcapng ${CORPUS}/strongswan/*/wire.pcap)
list(LENGTH caps n)
if(n EQUAL 0)
  message(FATAL_ERROR "no captures under ${CORPUS}")
endif()
file(MAKE_DIRECTORY ${OUT})
foreach(cap ${caps})
  file(RELATIVE_PATH name ${CORPUS} ${cap})
  string(REPLACE "/" "_" name ${name})
  execute_process(COMMAND ${EXE} decode --json ${cap}
                  OUTPUT_FILE ${OUT}/${name}.json RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "decode ${name}: exit ${rc}")
  endif()
  execute_process(COMMAND ${PY} -m json.tool ${OUT}/${name}.json
                  OUTPUT_QUIET RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "decode ${name}: output is not valid JSON")
  endif()
  message(STATUS "${name}: valid JSON")
endforeach()
