# examples/step_loop.c drives the simulator from its own loop, 1 ms slices:
# the worker runs until the host sends SIGTERM at 5 ms, the parent's wait
# returns, it exits with the signal number, and init reaps it.
execute_process(COMMAND ${EXE} OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "example_step_loop exited ${rc}\n${out}\n${err}")
endif()
foreach(needle
    "#5 fork pid=2 pid2=3"
    "slice to 1 ms: [1-9][0-9]* steps"
    "slice to 5 ms: [1-9][0-9]* steps"
    "host: SIGTERM to the worker 3 at 5\\.000 ms"
    "deliver pid=3 .*sig=SIGTERM.*detail=terminate"
    "wait pid=2 pid2=3 .*value=15"
    "exit pid=2 pid2=1 .*value=3840"
    "reap pid=2 pid2=1"
    "idle at 6\\.000 ms: .* exit status 0xf00: ok")
  if(NOT out MATCHES "${needle}")
    message(FATAL_ERROR "example_step_loop output lacks '${needle}':\n${out}")
  endif()
endforeach()
if(out MATCHES "slice to ([7-9]|[1-9][0-9]+) ms")
  message(FATAL_ERROR "example_step_loop ran past the idle point:\n${out}")
endif()
