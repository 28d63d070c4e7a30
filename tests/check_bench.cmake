# Run `procsim bench --quick` and check that every benchmark printed its
# figure line (name, a number, the unit, key=value facts).  The figures
# themselves are never judged: they depend on the machine.
execute_process(COMMAND ${PROCSIM} bench --quick OUTPUT_VARIABLE out ERROR_VARIABLE err
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "procsim bench --quick exited ${rc}\n${out}\n${err}")
endif()
foreach(needle
    "insns +[0-9]+ insns/s +instructions=[0-9]+"
    "switch +[0-9]+ switches/s +switches=[0-9]+"
    "fork +[0-9]+ forks/s +cycles=[0-9]+.* host_forks_per_s=[0-9.e+]+.* ratio_sim_to_host=[0-9.e+]+"
    "orphan +[0-9]+ ns/exit +ns_at_1e2=[0-9.e+]+ ns_at_1e3=[0-9.e+]+")
  if(NOT out MATCHES "${needle}")
    message(FATAL_ERROR "bench output lacks '${needle}':\n${out}")
  endif()
endforeach()

# --json: one object per line, for the benchmarks named, in table order.
execute_process(COMMAND ${PROCSIM} bench fork insns --json --quick OUTPUT_VARIABLE out
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "procsim bench fork insns --json --quick exited ${rc}\n${out}")
endif()
if(NOT out MATCHES "^{\"bench\":\"insns\",\"value\":[0-9.e+]+,\"unit\":\"insns/s\",[^\n]*}\n{\"bench\":\"fork\",\"value\":[0-9.e+]+,\"unit\":\"forks/s\",[^\n]*\"ratio_sim_to_host\":[0-9.e+]+}\n$")
  message(FATAL_ERROR "bench --json output is not two JSON lines (insns, fork):\n${out}")
endif()

# An unknown benchmark or option is bad usage: exit 2.
foreach(bad "no-such-bench" "--frob")
  execute_process(COMMAND ${PROCSIM} bench ${bad} RESULT_VARIABLE rc OUTPUT_QUIET
                  ERROR_VARIABLE err)
  if(NOT rc EQUAL 2 OR NOT err MATCHES "procsim bench: unknown")
    message(FATAL_ERROR "procsim bench ${bad}: want exit 2 and a message, got ${rc}: ${err}")
  endif()
endforeach()
