# examples/breakpoint.c debugs `sum` through ps_ptrace: attach, EBUSY before
# the wait, a breakpoint planted with PT_IO and hit, the instruction put
# back and stepped over, detach, and the exit status 55.  The transcript is
# the one docs/ptrace.md shows: it must match line for line.
execute_process(COMMAND ${EXE} OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "example_breakpoint exited ${rc}\n${out}\n${err}")
endif()
set(want "debugger 2, debuggee 3 running `sum`; label done at 0x400030
PT_ATTACH        -> 0
PT_GETREGS       -> EBUSY
wait             -> 3 stopped by SIGSTOP (status 0x117f)
PT_IO            -> 0
PT_IO            -> 0
PT_CONTINUE      -> 0
wait             -> 3 stopped by SIGTRAP (status 0x57f)
PT_GETREGS       -> 0
  pc 0x400030 (the breakpoint), r1 = 55 (the sum), r2 = 11
PT_IO            -> 0
PT_STEP          -> 0
wait             -> 3 stopped by SIGTRAP (status 0x57f)
PT_GETREGS       -> 0
  pc 0x400038 (one instruction on), r0 = 55
PT_DETACH        -> 0
wait             -> 3 exited with 55
ok
")
if(NOT out STREQUAL want)
  message(FATAL_ERROR "example_breakpoint printed:\n${out}\nexpected:\n${want}")
endif()
