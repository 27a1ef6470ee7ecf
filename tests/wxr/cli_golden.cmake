# Runs `mtport convert --to wxr` on INPUT twice (to a file, then to standard
# output), checks both give the same bytes, that xmllint finds the file
# well-formed, and compares it with the golden copy (golden.cmake).
execute_process(COMMAND "${MTPORT}" convert --to wxr --force --quiet
  --output "${ACTUAL}" "${INPUT}" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "mtport convert --to wxr exited with ${rc}")
endif()
execute_process(COMMAND "${MTPORT}" convert --to wxr --quiet --output -
  "${INPUT}" OUTPUT_VARIABLE streamed RESULT_VARIABLE rc)
file(READ "${ACTUAL}" written)
if(NOT rc EQUAL 0 OR NOT streamed STREQUAL written)
  message(FATAL_ERROR "--output - differs from --output FILE (rc ${rc})")
endif()
find_program(XMLLINT xmllint)
if(XMLLINT)
  execute_process(COMMAND "${XMLLINT}" --noout --nonet "${ACTUAL}"
    RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "xmllint: ${ACTUAL} is not well-formed")
  endif()
endif()
include("${CMAKE_CURRENT_LIST_DIR}/golden.cmake")
