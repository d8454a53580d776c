# Install the library, its public headers and a CMake package so that consumers can write
# find_package(keyaccount CONFIG) and link keyaccount::keyaccount (proved by tests/cmake/consumer).
include(CMakePackageConfigHelpers)

install(TARGETS keyaccount EXPORT keyaccountTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/keyaccount
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.hpp" PATTERN "detail" EXCLUDE)
if(TARGET keyaccount_cli_tool)
  install(TARGETS keyaccount_cli_tool RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()

# The JSON Schemas of the input files (policies, policy tests) and of the commands' JSON reports,
# for editors and CI validators (`keyaccount schema NAME` prints the same, compiled in).
file(GLOB keyaccount_schema_files ${PROJECT_SOURCE_DIR}/schema/*.schema.json)
install(FILES ${keyaccount_schema_files} DESTINATION ${CMAKE_INSTALL_DATADIR}/keyaccount)

set(KEYACCOUNT_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/keyaccount)
install(EXPORT keyaccountTargets NAMESPACE keyaccount:: DESTINATION ${KEYACCOUNT_CMAKE_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/keyaccountConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/keyaccountConfig.cmake
                              INSTALL_DESTINATION ${KEYACCOUNT_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/keyaccountConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/keyaccountConfig.cmake
              ${PROJECT_BINARY_DIR}/keyaccountConfigVersion.cmake
        DESTINATION ${KEYACCOUNT_CMAKE_DIR})
