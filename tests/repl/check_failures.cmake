# pty_drive fails the way it should: each case must end with the exit
# status and the message given, and quickly.
#   cmake -DPTY_DRIVE=... -DDIR=tests/repl -P check_failures.cmake
set(sh /bin/sh ${DIR}/selftest.sh)

function(check name rc regex)
  string(TIMESTAMP t0 "%s")
  execute_process(COMMAND ${PTY_DRIVE} ${ARGN} RESULT_VARIABLE got ERROR_VARIABLE err
                  OUTPUT_VARIABLE out TIMEOUT 30)
  string(TIMESTAMP t1 "%s")
  math(EXPR secs "${t1} - ${t0}")
  if(NOT got STREQUAL "${rc}")
    message(FATAL_ERROR "${name}: exit status ${got}, not ${rc}:\n${err}")
  endif()
  if(NOT err MATCHES "${regex}")
    message(FATAL_ERROR "${name}: no match for \"${regex}\" in:\n${err}")
  endif()
  if(secs GREATER 4)
    message(FATAL_ERROR "${name}: took ${secs} s")
  endif()
  message(STATUS "${name}: exit ${got}, as it should:\n${err}")
endfunction()

check(timeout 1 "timeout\\.pty:4: expect this text is never printed: no match within 300 ms"
      -t 300 ${DIR}/timeout.pty -- ${sh})
check(signaled 1 "signaled\\.pty:5: wait 0: the program was killed by signal 15 \\(SIGTERM\\)"
      ${DIR}/signaled.pty -- ${sh})
check(exitcode 1 "exitcode\\.pty:4: wait 0: the program exited with status 7"
      ${DIR}/exitcode.pty -- ${sh})
check(badscript 2 "badscript\\.pty:4: unknown escape \\\\q"
      ${DIR}/badscript.pty -- ${sh})
check(noprogram 2 "/nonexistent/program: No such file or directory"
      ${DIR}/selftest.pty -- /nonexistent/program)
check(usage 2 "usage: pty_drive" ${DIR}/selftest.pty /bin/sh)
