# cmake -DINPUT=<file> -DOUTPUT=<cpp> -DSYMBOL=<name> -DNAMESPACE=<ns> -P embed_file.cmake
# Turns a file into a C++ translation unit defining `std::string_view <NAMESPACE>::<SYMBOL>()`.
# A byte array rather than a raw string literal, so no content can break the literal.
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hex_length)
math(EXPR byte_count "${hex_length} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "((0x[0-9a-f][0-9a-f],){24})" "\\1\n" bytes "${bytes}")
file(WRITE "${OUTPUT}.tmp"
"// Generated from ${INPUT} by cmake/embed_file.cmake. Do not edit.\n"
"#include <string_view>\n"
"namespace ${NAMESPACE} {\n"
"namespace { constexpr unsigned char data[] = {\n${bytes}0x00};\n}\n"
"std::string_view ${SYMBOL}() noexcept {\n"
"  return {reinterpret_cast<const char*>(data), ${byte_count}};\n}\n}\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
