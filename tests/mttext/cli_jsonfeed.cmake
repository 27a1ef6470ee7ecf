# mtport convert --to jsonfeed on a text export: exit 0, the published
# entries in the feed with their pattern URLs and zoned dates.
execute_process(COMMAND ${CLI} convert --to jsonfeed --output -
    --timezone +02:00 --site-url http://example.com/blog/ ${INPUT}
  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "exit ${rc}: ${err}")
endif()
foreach(want "http://example.com/blog/2009/04/spring-garden-notes.html"
    "2009-04-05T19:15:00\\+02:00" "Spring garden notes")
  if(NOT out MATCHES "${want}")
    message(FATAL_ERROR "'${want}' missing from the feed:\n${out}")
  endif()
endforeach()
if(out MATCHES "Markdown draft")
  message(FATAL_ERROR "a draft reached the public feed")
endif()
