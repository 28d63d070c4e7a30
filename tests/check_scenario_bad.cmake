# A malformed scenario (tests/scenarios/bad/): exit 2, one clear message on
# stderr containing what EXPECTED lists for it, nothing on stdout.
# Inputs: PROCSIM, SCENARIO, NAME, EXPECTED.
execute_process(COMMAND ${PROCSIM} run ${SCENARIO}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 2)
  message(FATAL_ERROR "${NAME}: exit ${rc} (expected 2)\n${out}${err}")
endif()
if(NOT out STREQUAL "")
  message(FATAL_ERROR "${NAME}: a bad scenario wrote to stdout:\n${out}")
endif()
file(STRINGS ${EXPECTED} wants REGEX "^${NAME}: ")
if(NOT wants)
  message(FATAL_ERROR "${NAME}: nothing listed for it in ${EXPECTED}")
endif()
foreach(w ${wants})
  string(REGEX REPLACE "^${NAME}: " "" w "${w}")
  string(FIND "${err}" "${w}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "${NAME}: the message lacks \"${w}\":\n${err}")
  endif()
endforeach()
message(STATUS "${NAME}: ${err}")
