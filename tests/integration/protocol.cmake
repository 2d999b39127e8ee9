# Wire-level robustness tests of zoolab-server with hand-made frames and kazoo.
if(NOT TARGET zoolab-server OR NOT EXISTS /usr/bin/python3)
  return()
endif()
execute_process(COMMAND /usr/bin/python3 -c "import kazoo"
  RESULT_VARIABLE zoolab_kazoo_import OUTPUT_QUIET ERROR_QUIET)
if(NOT zoolab_kazoo_import EQUAL 0)
  return()
endif()
add_test(NAME integration_bad_input
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/bad_input_test.py $<TARGET_FILE:zoolab-server>)
set_tests_properties(integration_bad_input PROPERTIES LABELS "integration" TIMEOUT 120)
