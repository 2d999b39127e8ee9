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

# The C client's cli_mt: one scripted session against zoolab-server and Apache 3.8.0.
if(EXISTS /usr/lib/zookeeper/bin/cli_mt AND EXISTS /usr/share/java/zookeeper.jar)
  add_test(NAME integration_cclient
    COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/cclient_compare.py
      $<TARGET_FILE:zoolab-server>)
  set_tests_properties(integration_cclient PROPERTIES LABELS "integration" TIMEOUT 180)
endif()
