# Fails when a C++ file of the project differs from what clang-format (.clang-format) makes of it.
file(GLOB_RECURSE sources ${SOURCE_DIR}/include/*.hpp ${SOURCE_DIR}/src/*.cpp ${SOURCE_DIR}/src/*.hpp
     ${SOURCE_DIR}/tests/*.cpp ${SOURCE_DIR}/tests/*.hpp ${SOURCE_DIR}/bindings/*.cpp
     ${SOURCE_DIR}/bindings/*.hpp ${SOURCE_DIR}/bench/*.cpp)
list(FILTER sources EXCLUDE REGEX "/build/")
execute_process(COMMAND ${CLANG_FORMAT} --dry-run --Werror ${sources} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "some files are not formatted: run clang-format -i on them")
endif()
list(LENGTH sources count)
message(STATUS "${count} files follow .clang-format")
