# Compares a generated WXR with its golden copy, ignoring the generator
# element (it carries the version). MTPORT_UPDATE_GOLDEN=1 rewrites the copy.
file(READ "${ACTUAL}" actual)
if(DEFINED ENV{MTPORT_UPDATE_GOLDEN} AND "$ENV{MTPORT_UPDATE_GOLDEN}" STREQUAL "1")
  configure_file("${ACTUAL}" "${EXPECTED}" COPYONLY)
  message(STATUS "updated ${EXPECTED}")
  return()
endif()
file(READ "${EXPECTED}" expected)
set(gen "<generator>[^<]*</generator>")
string(REGEX REPLACE "${gen}" "<generator/>" actual "${actual}")
string(REGEX REPLACE "${gen}" "<generator/>" expected "${expected}")
if(NOT actual STREQUAL expected)
  message(FATAL_ERROR "${ACTUAL} differs from ${EXPECTED}: compare with "
    "diff -u; if the change is intended, rerun with MTPORT_UPDATE_GOLDEN=1")
endif()
message(STATUS "matches ${EXPECTED}")
