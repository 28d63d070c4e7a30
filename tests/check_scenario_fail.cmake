# A scenario whose expectations must fail (tests/scenarios/fail/): exit 1,
# a report whose first line is the command that replays the run, every
# line EXPECTED lists for it present in the report, and the replay command
# giving the same exit status and the same report.
# Inputs: PROCSIM, SCENARIO, NAME, EXPECTED.
execute_process(COMMAND ${PROCSIM} run ${SCENARIO} --trace none -q
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 1)
  message(FATAL_ERROR "${NAME}: exit ${rc} (expected 1)\n${out}${err}")
endif()
string(REGEX MATCH "^[^\n]*" first "${err}")
if(NOT first MATCHES "^procsim run ")
  message(FATAL_ERROR "${NAME}: the report does not start with the replay command:\n${err}")
endif()
file(STRINGS ${EXPECTED} wants REGEX "^${NAME}: ")
if(NOT wants)
  message(FATAL_ERROR "${NAME}: nothing listed for it in ${EXPECTED}")
endif()
foreach(w ${wants})
  string(REGEX REPLACE "^${NAME}: " "" w "${w}")
  string(FIND "${err}" "${w}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "${NAME}: the report lacks \"${w}\":\n${err}")
  endif()
endforeach()
separate_arguments(cmd UNIX_COMMAND "${first}")
list(REMOVE_AT cmd 0)
execute_process(COMMAND ${PROCSIM} ${cmd} --trace none -q
                RESULT_VARIABLE rc2 OUTPUT_VARIABLE out2 ERROR_VARIABLE err2)
if(NOT rc2 EQUAL 1 OR NOT err2 STREQUAL err)
  message(FATAL_ERROR "${NAME}: the replay command (${first}) gave exit ${rc2} and a "
                      "different report:\n${err2}")
endif()
message(STATUS "${NAME}: fails as expected, and the replay reproduces it")
