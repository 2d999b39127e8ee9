# Real-client integration tests: kazoo's own suite and a zkCli.sh transcript compared with
# Apache ZooKeeper 3.8.0's. Registered only when zoolab-server is built and the clients are
# installed (BUILD.md section 6), so a bare checkout still configures. Every test binds
# 127.0.0.1 on free ports and is bounded in time. Run just these: ctest -L integration;
# skip them: ctest -LE integration.

option(ZOOLAB_INTEGRATION_TESTS "Register the real-client integration tests" ON)

set(ZOOLAB_INTEGRATION_DIR ${CMAKE_CURRENT_LIST_DIR})

if(NOT ZOOLAB_INTEGRATION_TESTS OR NOT TARGET zoolab-server)
  return()
endif()

find_program(ZOOLAB_BASH bash)
find_program(ZOOLAB_JAVA java PATHS /usr/bin NO_DEFAULT_PATH)
set(ZOOLAB_SYSTEM_PYTHON /usr/bin/python3)
set(ZOOLAB_ZKCLI /usr/share/zookeeper/bin/zkCli.sh)
if(NOT ZOOLAB_BASH)
  return()
endif()

set(zoolab_kazoo_found FALSE)
if(EXISTS ${ZOOLAB_SYSTEM_PYTHON})
  execute_process(COMMAND ${ZOOLAB_SYSTEM_PYTHON} -c "import kazoo, pytest"
    RESULT_VARIABLE zoolab_kazoo_status OUTPUT_QUIET ERROR_QUIET)
  if(zoolab_kazoo_status EQUAL 0)
    set(zoolab_kazoo_found TRUE)
  endif()
endif()

set(zoolab_integration_env
  "ZOOLAB_SERVER=$<TARGET_FILE:zoolab-server>"
  "TMPDIR=${CMAKE_BINARY_DIR}/integration-tmp")
file(MAKE_DIRECTORY ${CMAKE_BINARY_DIR}/integration-tmp)

# kazoo's suite: about 2 minutes on Apache here. The harness launches the servers through
# java-shim/java. TestReadOnlyMode::test_read_only also flakes on Apache (it waits only 6 s),
# so that one failure alone does not fail the test.
if(zoolab_kazoo_found AND ZOOLAB_JAVA)
  # Standalone until the quorum issue lands: one zoolab-server, known gaps listed (with the
  # issue that closes each) in kazoo-expected-failures-standalone.txt.
  add_test(NAME integration_kazoo
    COMMAND ${ZOOLAB_BASH} ${ZOOLAB_INTEGRATION_DIR}/run-kazoo-suite.sh zoolab 1)
  set_tests_properties(integration_kazoo PROPERTIES
    LABELS "integration" TIMEOUT 1600 RUN_SERIAL TRUE
    ENVIRONMENT "${zoolab_integration_env};KAZOO_TIMEOUT=1500;KAZOO_LOG_COPY=${CMAKE_BINARY_DIR}/integration-tmp/kazoo-pytest.log;KAZOO_EXPECTED_FAILURES=${ZOOLAB_INTEGRATION_DIR}/kazoo-expected-failures-standalone.txt")
endif()

# Mixed ensembles: Apache 3.8.0 and zoolab-server nodes in one quorum (aaz: two Apache, one
# ZooLab; azz: one Apache, two ZooLab) elect, replicate, fail over and converge.
if(zoolab_kazoo_found AND ZOOLAB_JAVA AND EXISTS /usr/share/java/zookeeper.jar)
  foreach(kinds aaz azz)
    add_test(NAME integration_mixed_ensemble_${kinds}
      COMMAND ${ZOOLAB_BASH} ${ZOOLAB_INTEGRATION_DIR}/mixed-ensemble.sh ${kinds})
    set_tests_properties(integration_mixed_ensemble_${kinds} PROPERTIES
      LABELS "integration" TIMEOUT 300 ENVIRONMENT "${zoolab_integration_env}")
  endforeach()
endif()

# kazoo's suite again against a 3-node zoolab-server ensemble (quorum mode, ZAB).
if(zoolab_kazoo_found AND ZOOLAB_JAVA)
  add_test(NAME integration_kazoo_ensemble
    COMMAND ${ZOOLAB_BASH} ${ZOOLAB_INTEGRATION_DIR}/run-kazoo-suite.sh zoolab 3)
  set_tests_properties(integration_kazoo_ensemble PROPERTIES
    LABELS "integration" TIMEOUT 1600 RUN_SERIAL TRUE
    ENVIRONMENT "${zoolab_integration_env};KAZOO_TIMEOUT=1500;KAZOO_LOG_COPY=${CMAKE_BINARY_DIR}/integration-tmp/kazoo-ensemble-pytest.log;KAZOO_EXPECTED_FAILURES=${ZOOLAB_INTEGRATION_DIR}/kazoo-expected-failures-ensemble.txt")
endif()

# zkCli.sh transcript versus expected/zkcli-session.txt (recorded from Apache 3.8.0).
if(EXISTS ${ZOOLAB_ZKCLI} AND ZOOLAB_JAVA AND EXISTS ${ZOOLAB_SYSTEM_PYTHON})
  add_test(NAME integration_zkcli
    COMMAND ${ZOOLAB_BASH} ${ZOOLAB_INTEGRATION_DIR}/zkcli-compare.sh zoolab)
  set_tests_properties(integration_zkcli PROPERTIES
    LABELS "integration" TIMEOUT 300
    ENVIRONMENT "${zoolab_integration_env};ZKCLI_OUT_DIR=${CMAKE_BINARY_DIR}/integration")
endif()

# Storage: a dataDir moves between zoolab-server and Apache 3.8.0 both ways, Apache's log and
# snapshot tools read our files, and SIGKILL/restart cycles lose no acknowledged write
# (storage-tests.sh crash 1000 runs the long version by hand).
if(zoolab_kazoo_found AND ZOOLAB_JAVA)
  foreach(scenario zoolab-to-apache apache-to-zoolab tools)
    add_test(NAME integration_storage_${scenario}
      COMMAND ${ZOOLAB_BASH} ${ZOOLAB_INTEGRATION_DIR}/storage-tests.sh ${scenario})
    set_tests_properties(integration_storage_${scenario} PROPERTIES
      LABELS "integration" TIMEOUT 300 ENVIRONMENT "${zoolab_integration_env}")
  endforeach()
endif()
if(zoolab_kazoo_found)
  add_test(NAME integration_storage_crash
    COMMAND ${ZOOLAB_BASH} ${ZOOLAB_INTEGRATION_DIR}/storage-tests.sh crash 50)
  set_tests_properties(integration_storage_crash PROPERTIES
    LABELS "integration" TIMEOUT 240 ENVIRONMENT "${zoolab_integration_env}")
endif()
