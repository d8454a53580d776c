# keyaccount_set_warnings(target): the warning set every first-party target is built with.
function(keyaccount_set_warnings target)
  if(MSVC)
    target_compile_options(${target} PRIVATE /W4)
    if(KEYACCOUNT_WERROR)
      target_compile_options(${target} PRIVATE /WX)
    endif()
  else()
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                                             -Wno-sign-conversion -Wnon-virtual-dtor)
    if(KEYACCOUNT_WERROR)
      target_compile_options(${target} PRIVATE -Werror)
      # GCC 12's flow-sensitive warnings misfire inside libstdc++ when optimising (std::string
      # operator+, std::variant moves: GCC bugs 105329, 105651, 107138). They stay warnings,
      # printed, but do not fail the build; every other warning does.
      if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
        target_compile_options(${target} PRIVATE -Wno-error=array-bounds
          -Wno-error=stringop-overflow -Wno-error=restrict -Wno-error=maybe-uninitialized)
      endif()
    endif()
  endif()
endfunction()

# keyaccount_precompile(target header...): precompile the given (third-party and standard)
# headers for target when KEYACCOUNT_PCH is on. Only headers that never depend on macros set by
# the including file belong here.
function(keyaccount_precompile target)
  if(KEYACCOUNT_PCH)
    target_precompile_headers(${target} PRIVATE ${ARGN})
  endif()
endfunction()
