# Runs DUMP [ARGS] INPUT and compares its standard output with EXPECTED.
# Set UPDATE=1 to rewrite EXPECTED instead (review the diff before
# committing).
execute_process(COMMAND ${DUMP} ${ARGS} ${INPUT}
  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "dump failed (${rc}): ${err}")
endif()
if(UPDATE)
  file(WRITE ${EXPECTED} "${out}")
  return()
endif()
file(READ ${EXPECTED} want)
if(NOT out STREQUAL want)
  get_filename_component(name ${EXPECTED} NAME)
  file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/${name}.actual "${out}")
  message(FATAL_ERROR "output differs from ${EXPECTED}; see "
    "${CMAKE_CURRENT_BINARY_DIR}/${name}.actual"
    "\n--- diagnostics:\n${err}")
endif()
