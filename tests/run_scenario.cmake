# One scenario as a regression test (label "scenario"):
#   - it runs and every expectation holds (exit 0), with the invariant
#     checker after every event (--check; --check=incremental for a
#     scenario whose config asks for "check": "incremental", as the large
#     ones do, where a full walk after every event would be quadratic);
#   - a second run without --check, and a third with the incremental
#     checker only (--check=incremental --check-full-every 0), give the
#     same trace hash (checking perturbs nothing, and the run is
#     deterministic);
#   - the hash equals the one recorded in HASHES, so Debug, Release and
#     sanitizer builds all produce the same trace.
# Inputs: PROCSIM, SCENARIO (path), KEY (its name in HASHES), HASHES.
foreach(v PROCSIM SCENARIO KEY HASHES)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "run_scenario.cmake: ${v} is not set")
  endif()
endforeach()

file(READ ${SCENARIO} text)
if(text MATCHES "\"check\"[ \t\r\n]*:[ \t\r\n]*\"incremental\"")
  set(check --check=incremental)
else()
  set(check --check)
endif()
execute_process(COMMAND ${PROCSIM} run ${SCENARIO} --trace none --trace-hash ${check} -q
                RESULT_VARIABLE rc1 OUTPUT_VARIABLE out1 ERROR_VARIABLE err1)
if(NOT rc1 EQUAL 0)
  message(FATAL_ERROR "${KEY}: exit ${rc1} (expected 0)\n${out1}${err1}")
endif()
execute_process(COMMAND ${PROCSIM} run ${SCENARIO} --trace none --trace-hash -q
                RESULT_VARIABLE rc2 OUTPUT_VARIABLE out2 ERROR_VARIABLE err2)
if(NOT rc2 EQUAL 0)
  message(FATAL_ERROR "${KEY}: second run (without --check): exit ${rc2}\n${out2}${err2}")
endif()
if(NOT out1 STREQUAL out2)
  message(FATAL_ERROR "${KEY}: the two runs differ:\n  ${out1}  ${out2}")
endif()
execute_process(COMMAND ${PROCSIM} run ${SCENARIO} --trace none --trace-hash -q
                        --check=incremental --check-full-every 0
                RESULT_VARIABLE rc3 OUTPUT_VARIABLE out3 ERROR_VARIABLE err3)
if(NOT rc3 EQUAL 0)
  message(FATAL_ERROR "${KEY}: third run (--check=incremental): exit ${rc3}\n${out3}${err3}")
endif()
if(NOT out1 STREQUAL out3)
  message(FATAL_ERROR "${KEY}: the incremental run differs:\n  ${out1}  ${out3}")
endif()
string(REGEX MATCH "trace-hash ([0-9a-f]+) events ([0-9]+)" m "${out1}")
if(NOT m)
  message(FATAL_ERROR "${KEY}: no trace-hash line in:\n${out1}")
endif()
set(hash ${CMAKE_MATCH_1})
set(events ${CMAKE_MATCH_2})
file(STRINGS ${HASHES} recorded REGEX "^${KEY} ")
if(NOT recorded)
  message(FATAL_ERROR "${KEY}: no recorded hash; if this trace is right, add the line\n"
                      "${KEY} ${hash} ${events}\nto ${HASHES} (tests/update-hashes does it)")
endif()
if(NOT recorded STREQUAL "${KEY} ${hash} ${events}")
  message(FATAL_ERROR "${KEY}: the trace changed: now ${hash} (${events} events), recorded: "
                      "${recorded}.\nIf the change is intended, run tests/update-hashes.")
endif()
message(STATUS "${KEY}: ok, trace ${hash} (${events} events)")
