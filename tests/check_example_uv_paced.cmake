# examples/uv_paced.c runs a fork/exit/wait program under the libuv driver
# in paced mode (ratio 0.5): the children wake at 20, 40 and 60 ms of
# virtual time, in reverse order of their forks, and are reaped; the run
# goes idle; and the driver never ran ahead of real time.
execute_process(COMMAND ${EXE} OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "example_uv_paced exited ${rc}\n${out}\n${err}")
endif()
foreach(needle
    "virtual +20\\.[0-9]+ ms +real +[0-9.]+ ms +#[0-9]+ exit pid=5 pid2=2 .*value=256"
    "virtual +40\\.[0-9]+ ms +real +[0-9.]+ ms +#[0-9]+ exit pid=4 pid2=2 .*value=512"
    "virtual +60\\.[0-9]+ ms +real +[0-9.]+ ms +#[0-9]+ exit pid=3 pid2=2 .*value=768"
    "reap pid=2 pid2=1"
    "progress: running, virtual"
    "stopped: idle at virtual 60\\.[0-9]+ ms"
    "paced: ok"
    "3 forks, 4 exits, 4 waits: ok")
  if(NOT out MATCHES "${needle}")
    message(FATAL_ERROR "example_uv_paced output lacks '${needle}':\n${out}")
  endif()
endforeach()
# Real time at the 60 ms exit: at least 120 ms (ratio 0.5), less than 1 s.
if(NOT out MATCHES "virtual +60\\.[0-9]+ ms +real +([0-9]+)\\.[0-9]+ ms +#[0-9]+ exit pid=3")
  message(FATAL_ERROR "no timed exit line:\n${out}")
endif()
if(CMAKE_MATCH_1 LESS 119 OR CMAKE_MATCH_1 GREATER 999)
  message(FATAL_ERROR "the 60 ms exit came at ${CMAKE_MATCH_1} ms of real time, want 120..999:\n${out}")
endif()
