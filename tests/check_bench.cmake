# Run `procsim bench --quick` and check that every benchmark printed its
# figure lines (name, a number, the unit, key=value parameters).  The
# figures themselves are never judged: they depend on the machine.
execute_process(COMMAND ${PROCSIM} bench --quick OUTPUT_VARIABLE out ERROR_VARIABLE err
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "procsim bench --quick exited ${rc}\n${out}\n${err}")
endif()
set(num "[0-9][0-9.e+-]*")
foreach(needle
    "churn.sim +${num} cycles/s +cycles=[0-9]+ "
    "churn.host +${num} cycles/s +cycles=[0-9]+ "
    "churn.ratio +${num} x +target_min=50"
    "interp +${num} insns/s +instructions=[0-9]+ "
    "sched +${num} switches/s +cpus=4 threads=[0-9]+ switches=[0-9]+"
    "sched.preempt +${num} switches/s +cpus=4 "
    "scale.memory@100 +${num} bytes/process +live=100 heap_bytes=[0-9]+"
    "scale.fork@1000 +${num} ns/cycle +live=1000 "
    "scale.exit@1000 +${num} ns/exit +live=1000 "
    "scale.exit_cold@1000 +${num} ns/exit "
    "scale.exit.growth +${num} x +from=100 to=1000 "
    "orphan@100 +${num} ns/exit +processes=100 "
    "orphan@1000 +${num} ns/exit +processes=1000 "
    "orphan.growth +${num} x "
    "scenario +${num} runs/s +scenario=examples/scenarios/shell-job-control.json runs=[1-9][0-9]* ")
  if(NOT out MATCHES "${needle}")
    message(FATAL_ERROR "bench output lacks '${needle}':\n${out}")
  endif()
endforeach()
# Every run of the scenario held its expectations.
if(NOT out MATCHES "runs=([0-9]+) held=([0-9]+)" OR NOT CMAKE_MATCH_1 STREQUAL CMAKE_MATCH_2)
  message(FATAL_ERROR "a run of the benchmark scenario failed its expectations:\n${out}")
endif()
if(out MATCHES "error")
  message(FATAL_ERROR "a benchmark reported an error:\n${out}")
endif()

# --json: one object per figure, for the benchmarks named, in table order.
execute_process(COMMAND ${PROCSIM} bench churn interp --json --quick OUTPUT_VARIABLE out
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "procsim bench churn interp --json --quick exited ${rc}\n${out}")
endif()
set(obj "{\"name\":\"([a-z.@0-9_]+)\",\"value\":${num},\"unit\":\"[a-z/]+\",\"parameters\":{[^\n]*}}\n")
if(NOT out MATCHES "^${obj}${obj}${obj}${obj}$")
  message(FATAL_ERROR "bench --json output is not four JSON lines:\n${out}")
endif()
foreach(name churn.sim churn.host churn.ratio interp)
  if(NOT out MATCHES "{\"name\":\"${name}\",")
    message(FATAL_ERROR "bench --json output lacks ${name}:\n${out}")
  endif()
endforeach()
if(NOT out MATCHES "\"name\":\"churn.ratio\",\"value\":${num},\"unit\":\"x\",\"parameters\":{\"target_min\":50}")
  message(FATAL_ERROR "churn.ratio is not as documented:\n${out}")
endif()

# An unknown benchmark or option is bad usage: exit 2.
foreach(bad "no-such-bench" "--frob")
  execute_process(COMMAND ${PROCSIM} bench ${bad} RESULT_VARIABLE rc OUTPUT_QUIET
                  ERROR_VARIABLE err)
  if(NOT rc EQUAL 2 OR NOT err MATCHES "procsim bench: unknown")
    message(FATAL_ERROR "procsim bench ${bad}: want exit 2 and a message, got ${rc}: ${err}")
  endif()
endforeach()
