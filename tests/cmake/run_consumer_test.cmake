# Installs the build in BUILD_DIR to a staging prefix, then builds and runs the consumer project.
set(prefix ${WORK_DIR}/stage)
file(REMOVE_RECURSE ${WORK_DIR})
macro(run)
  execute_process(COMMAND ${ARGV} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "consumer test step failed (${rc}): ${ARGV}")
  endif()
endmacro()
run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix} --config ${CONFIG})
# The JSON Schemas are installed too, byte for byte (share/keyaccount/).
foreach(schema policy policy-tests)
  run(${CMAKE_COMMAND} -E compare_files ${SCHEMA_DIR}/${schema}.schema.json
      ${prefix}/share/keyaccount/${schema}.schema.json)
endforeach()
run(${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${WORK_DIR}/build -DCMAKE_PREFIX_PATH=${prefix}
    -DCMAKE_BUILD_TYPE=${CONFIG})
run(${CMAKE_COMMAND} --build ${WORK_DIR}/build --config ${CONFIG})
run(${WORK_DIR}/build/consumer)
