# The `layers_link` ctest: proves that the build refuses a call going up the layers. It configures
# this project in WORK_DIR with one probe source added to the json layer
# (KEYACCOUNT_LAYER_PROBE_LAYER, _SOURCE) and builds that layer's check
# (keyaccount_layer_check_json): with a probe calling the care layer the link must fail and name
# the callee; with a probe calling the core layer it must link.
# Only the core and json layers are compiled (no precompiled header), so the test stays short.
file(REMOVE_RECURSE ${WORK_DIR})
macro(configure_with probe)
  execute_process(
    COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${WORK_DIR} -G ${GENERATOR}
            -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER=${CXX}
            -DCMAKE_CXX_COMPILER_LAUNCHER=${LAUNCHER}
            -DKEYACCOUNT_BUILD_TESTS=OFF -DKEYACCOUNT_BUILD_CLI=OFF -DKEYACCOUNT_INSTALL=OFF
            -DKEYACCOUNT_CHECK_LAYERS=ON -DKEYACCOUNT_PCH=OFF
            -DKEYACCOUNT_LAYER_PROBE_LAYER=json
            -DKEYACCOUNT_LAYER_PROBE_SOURCE=${SOURCE_DIR}/tests/cmake/layers_probe/${probe}
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "configuring with ${probe} failed:\n${out}")
  endif()
endmacro()
macro(build_check)
  execute_process(COMMAND ${CMAKE_COMMAND} --build ${WORK_DIR} --target keyaccount_layer_check_json
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
endmacro()

configure_with(calls_core.cpp)
build_check()
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "a call going down (json to core) did not link:\n${out}")
endif()

configure_with(calls_care.cpp)
build_check()
if(rc EQUAL 0)
  message(FATAL_ERROR "a call going up (json to care) linked: the layers are not enforced")
endif()
# GNU ld: "undefined reference to `keyaccount::care::to_ics...'", lld: "undefined symbol: ...".
if(NOT out MATCHES "undefined (reference to `|symbol: )keyaccount::care::to_ics")
  message(FATAL_ERROR "the json layer's check failed, but not on the call to care:\n${out}")
endif()
message(STATUS "a call going up fails to link, as it should:\n${out}")
