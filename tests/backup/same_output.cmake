# Runs backup_dump on a file twice and on the same bytes through stdin; the
# three outputs must be identical (determinism, non-seekable input).
foreach(v DUMP INPUT)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "${v} not set")
  endif()
endforeach()
if(NOT EXISTS "${INPUT}")
  message("skip: ${INPUT} is absent")
  # ctest treats this output as a skip through SKIP_REGULAR_EXPRESSION
  return()
endif()
execute_process(COMMAND ${DUMP} ${ARGS} ${INPUT} OUTPUT_VARIABLE a
  RESULT_VARIABLE ra)
execute_process(COMMAND ${DUMP} ${ARGS} ${INPUT} OUTPUT_VARIABLE b
  RESULT_VARIABLE rb)
execute_process(COMMAND ${DUMP} ${ARGS} - INPUT_FILE ${INPUT}
  OUTPUT_VARIABLE c RESULT_VARIABLE rc)
if(NOT ra EQUAL 0 OR NOT rb EQUAL 0 OR NOT rc EQUAL 0)
  message(FATAL_ERROR "backup_dump failed: ${ra} ${rb} ${rc}\n${a}")
endif()
string(LENGTH "${a}" n)
if(n LESS 200)
  message(FATAL_ERROR "suspiciously short output:\n${a}")
endif()
if(NOT a STREQUAL b)
  message(FATAL_ERROR "two runs differ")
endif()
# diagnostics name the input: "-" for stdin, so compare without them
string(REGEX REPLACE "diag [^\n]*\n" "" a2 "${a}")
string(REGEX REPLACE "diag [^\n]*\n" "" c2 "${c}")
if(NOT a2 STREQUAL c2)
  message(FATAL_ERROR "stdin output differs from file output")
endif()
message("identical: ${n} bytes")
