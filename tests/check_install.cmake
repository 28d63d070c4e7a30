# Installation and find_package(procsim): install the build tree into a
# fresh prefix inside the build directory, build examples/embed/ against it
# (the shared library, then the static one), and run it: a good scenario
# passes with its story in the trace, a bad one is refused with exit 2.
# Nothing is written outside WORK (and the install manifest of BUILD_DIR).
#
# Inputs: BUILD_DIR (the procsim build tree), SOURCE_DIR, WORK (a scratch
# directory under the build tree), GENERATOR, C_COMPILER, BUILD_TYPE,
# SAN_FLAGS (the sanitizer flags of the build, space-separated, may be empty).
cmake_minimum_required(VERSION 3.18)
foreach(v BUILD_DIR SOURCE_DIR WORK GENERATOR C_COMPILER)
  if(NOT DEFINED ${v} OR "${${v}}" STREQUAL "")
    message(FATAL_ERROR "check_install.cmake: ${v} is not set")
  endif()
endforeach()
if(NOT WORK MATCHES "^${BUILD_DIR}/")
  message(FATAL_ERROR "WORK (${WORK}) must be inside the build tree ${BUILD_DIR}")
endif()

set(prefix ${WORK}/prefix)
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})

function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n${ARGN}\n${out}\n${err}")
  endif()
endfunction()

# 1. Install.
run("cmake --install" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})
foreach(f include/procsim/procsim.h include/procsim/scenario.h include/procsim/trace.h
          include/procsim/loop.h)
  if(NOT EXISTS ${prefix}/${f})
    message(FATAL_ERROR "the install lacks ${f}")
  endif()
endforeach()
file(GLOB_RECURSE cfg ${prefix}/*/procsimConfig.cmake)
file(GLOB_RECURSE pc ${prefix}/*/procsim.pc)
file(GLOB_RECURSE tool ${prefix}/bin/procsim)
if(NOT cfg OR NOT pc OR NOT tool)
  message(FATAL_ERROR "the install lacks procsimConfig.cmake, procsim.pc or bin/procsim:\n"
                      "'${cfg}' '${pc}' '${tool}'")
endif()

# The installed tool runs from the prefix (its RPATH finds the library).
execute_process(COMMAND ${prefix}/bin/procsim run
                        ${SOURCE_DIR}/examples/scenarios/orphaned-stopped-job.json --trace none -q
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the installed procsim exited ${rc}:\n${out}${err}")
endif()

# pkg-config finds the package too, with the prefix it was installed into.
find_program(PKG_CONFIG_EXE pkg-config)
if(PKG_CONFIG_EXE)
  get_filename_component(pcdir ${pc} DIRECTORY)
  set(ENV{PKG_CONFIG_PATH} "${pcdir}")
  execute_process(COMMAND ${PKG_CONFIG_EXE} --cflags --libs procsim
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0 OR NOT out MATCHES "-I[^ ]*/include" OR NOT out MATCHES "-lprocsim")
    message(FATAL_ERROR "pkg-config --cflags --libs procsim (${rc}): ${out}${err}")
  endif()
  execute_process(COMMAND ${PKG_CONFIG_EXE} --variable=includedir procsim
                  OUTPUT_VARIABLE incdir OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT EXISTS "${incdir}/procsim/procsim.h")
    message(FATAL_ERROR "pkg-config's includedir '${incdir}' has no procsim/procsim.h")
  endif()
endif()

# 2. Build examples/embed against the prefix, and 3. run it.
set(flags "${SAN_FLAGS}")
foreach(kind shared static)
  set(bin ${WORK}/embed-${kind})
  if(kind STREQUAL "static")
    set(use_static ON)
  else()
    set(use_static OFF)
  endif()
  run("configuring examples/embed (${kind})" ${CMAKE_COMMAND} -S ${SOURCE_DIR}/examples/embed
      -B ${bin} -G ${GENERATOR} -DCMAKE_C_COMPILER=${C_COMPILER}
      -DCMAKE_BUILD_TYPE=${BUILD_TYPE} -DCMAKE_PREFIX_PATH=${prefix} -DEMBED_STATIC=${use_static}
      "-DCMAKE_C_FLAGS=${flags}" "-DCMAKE_EXE_LINKER_FLAGS=${flags}"
      -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF -DCMAKE_EXPORT_NO_PACKAGE_REGISTRY=ON)
  run("building examples/embed (${kind})" ${CMAKE_COMMAND} --build ${bin})

  # A good scenario: exit 0, the trace tells the orphaned-group story.
  execute_process(COMMAND ${bin}/procsim_embed
                          ${SOURCE_DIR}/examples/scenarios/orphaned-stopped-job.json
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "procsim_embed (${kind}) exited ${rc} on orphaned-stopped-job.json:\n"
                        "${out}${err}")
  endif()
  foreach(needle
      "stop +3\\(job\\) +stopped by SIGTSTP"
      "orphaned +pgrp 3 +has a stopped member: SIGHUP and SIGCONT to every member"
      "signal +3\\(job\\) +SIGHUP from kernel"
      "signal +3\\(job\\) +SIGCONT from kernel"
      "reap +3\\(job\\) +reaped by 1\\(init\\): killed by SIGHUP")
    if(NOT out MATCHES "${needle}")
      message(FATAL_ERROR "procsim_embed (${kind}): the trace lacks '${needle}':\n${out}")
    endif()
  endforeach()
  if(NOT err MATCHES "6 expectations held")
    message(FATAL_ERROR "procsim_embed (${kind}): no verdict on stderr:\n${err}")
  endif()

  # A bad scenario: exit 2, the loader's message.
  execute_process(COMMAND ${bin}/procsim_embed
                          ${SOURCE_DIR}/tests/scenarios/bad/unknown-signal.json
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 2 OR NOT err MATCHES "/events/0/signal: expected a signal name")
    message(FATAL_ERROR "procsim_embed (${kind}) on a bad scenario: exit ${rc} (expected 2):\n"
                        "${out}${err}")
  endif()

  # A failing scenario: exit 1, the report with the replay command.
  execute_process(COMMAND ${bin}/procsim_embed
                          ${SOURCE_DIR}/tests/scenarios/fail/missing-event.json
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 1 OR NOT err MATCHES "^procsim run [^\n]*missing-event.json"
     OR NOT err MATCHES "FAILED /expect/")
    message(FATAL_ERROR "procsim_embed (${kind}) on a failing scenario: exit ${rc} "
                        "(expected 1):\n${err}")
  endif()
endforeach()
message(STATUS "installed into ${prefix}; examples/embed builds and runs against it, "
               "shared and static")
