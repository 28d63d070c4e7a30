# Run `procsim demo` and check the story it tells: the stopped job's group
# is orphaned when the shell exits, its members get SIGHUP then SIGCONT,
# die of the SIGHUP, and init reaps them; the invariants held throughout.
execute_process(COMMAND ${PROCSIM} demo OUTPUT_VARIABLE out ERROR_VARIABLE err
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "procsim demo exited ${rc}\n${out}\n${err}")
endif()
foreach(needle
    "orphaned"
    "signal .*SIGHUP"
    "signal .*SIGCONT"
    "deliver .*SIGHUP.*terminate"
    "reap .*by init"
    "invariants: all held")
  if(NOT out MATCHES "${needle}")
    message(FATAL_ERROR "demo output lacks '${needle}':\n${out}")
  endif()
endforeach()
execute_process(COMMAND ${PROCSIM} --version OUTPUT_VARIABLE v RESULT_VARIABLE rc)
if(NOT rc EQUAL 0 OR NOT v MATCHES "procsim 0\\.1\\.0")
  message(FATAL_ERROR "procsim --version: ${rc} ${v}")
endif()
execute_process(COMMAND ${PROCSIM} no-such-command RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
if(NOT rc EQUAL 2)
  message(FATAL_ERROR "an unknown command must exit 2, got ${rc}")
endif()
