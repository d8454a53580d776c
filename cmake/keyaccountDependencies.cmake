# Third-party dependencies. Each is looked for on the system first (Debian's -dev packages, which
# scripts/setup installs: the path every test here runs); only where one is absent (a manylinux
# container, macOS, Windows) is a pinned upstream release fetched, checked against its hash, and
# built as part of this project (statically, so a wheel needs nothing from the machine).
# Never vendored into the repository.
#
# KEYACCOUNT_FETCH_DEPENDENCIES=ON skips the system look-up (to try the fetched path on a machine
# that has the packages); FETCHCONTENT_SOURCE_DIR_<NAME> (NLOHMANN_JSON, CLI11, RE2, LIBICAL,
# LIBCSV) builds from a local copy instead of downloading.
include(FetchContent)
option(KEYACCOUNT_FETCH_DEPENDENCIES "Fetch every dependency instead of using the system's" OFF)
set(keyaccount_fetched_dependencies "")
# The fetched releases of nlohmann_json and libical declare cmake_minimum_required(VERSION 3.1),
# which CMake 4 (what pip installs into a manylinux container) refuses without this.
if(NOT DEFINED CMAKE_POLICY_VERSION_MINIMUM)
  set(CMAKE_POLICY_VERSION_MINIMUM 3.5)
endif()

# FIND_PACKAGE_ARGS (CMake >= 3.24) makes FetchContent_MakeAvailable call find_package first.
if(KEYACCOUNT_FETCH_DEPENDENCIES)
  set(FETCHCONTENT_TRY_FIND_PACKAGE_MODE NEVER)
endif()
if(CMAKE_VERSION VERSION_LESS 3.24 AND NOT KEYACCOUNT_FETCH_DEPENDENCIES)
  # Older CMake: the system packages only, exactly as before.
  find_package(nlohmann_json 3.10 CONFIG REQUIRED)
  find_package(CLI11 CONFIG REQUIRED)
else()
  set(JSON_Install ${KEYACCOUNT_INSTALL} CACHE BOOL "" FORCE)
  FetchContent_Declare(nlohmann_json
    URL https://github.com/nlohmann/json/releases/download/v3.11.3/json.tar.xz
    URL_HASH SHA256=d6c65aca6b1ed68e7a182f4757257b107ae403032760ed6ef121c9d55e81757d
    DOWNLOAD_EXTRACT_TIMESTAMP TRUE
    FIND_PACKAGE_ARGS 3.10 CONFIG)
  set(CLI11_PRECOMPILED OFF CACHE BOOL "" FORCE)
  FetchContent_Declare(CLI11
    URL https://github.com/CLIUtils/CLI11/archive/refs/tags/v2.4.2.tar.gz
    URL_HASH SHA256=f2d893a65c3b1324c50d4e682c0cdc021dd0477ae2c048544f39eed6654b699a
    DOWNLOAD_EXTRACT_TIMESTAMP TRUE
    FIND_PACKAGE_ARGS CONFIG)
  FetchContent_MakeAvailable(nlohmann_json CLI11)
endif()

# SHA-256 of a policy's canonical form (its content hash): OpenSSL's libcrypto (Debian
# libssl-dev; manylinux: openssl-devel).
find_package(OpenSSL REQUIRED COMPONENTS Crypto)

find_package(PkgConfig QUIET)
# Debian 12 ships RE2 without a CMake package, only a pkg-config file.
if(PKG_CONFIG_FOUND AND NOT KEYACCOUNT_FETCH_DEPENDENCIES)
  pkg_check_modules(RE2 IMPORTED_TARGET re2)
endif()
if(NOT TARGET PkgConfig::RE2)
  # 2023-03-01 is the last RE2 release that does not require Abseil.
  set(RE2_BUILD_TESTING OFF CACHE BOOL "" FORCE)
  FetchContent_Declare(re2
    URL https://github.com/google/re2/archive/2023-03-01.tar.gz
    URL_HASH SHA1=3e37cc282ad4ea05e2971e0ed28ef5dba0129651
    DOWNLOAD_EXTRACT_TIMESTAMP TRUE)
  FetchContent_MakeAvailable(re2)
  # The rest of the build names the system's target; alias the fetched one to it.
  add_library(PkgConfig::RE2 ALIAS re2)
  list(APPEND keyaccount_fetched_dependencies re2)
endif()

# libical 3 (Debian libical-dev) writes the maintenance plan as iCalendar; pkg-config only.
if(PKG_CONFIG_FOUND AND NOT KEYACCOUNT_FETCH_DEPENDENCIES)
  pkg_check_modules(LIBICAL IMPORTED_TARGET libical)
endif()
if(NOT TARGET PkgConfig::LIBICAL)
  # libical's CMake files use CMAKE_SOURCE_DIR, so it cannot be an add_subdirectory of ours: it
  # is built and installed into this build tree as a separate project, static only.
  include(ExternalProject)
  set(libical_prefix ${CMAKE_BINARY_DIR}/_deps/libical-install)
  if(FETCHCONTENT_SOURCE_DIR_LIBICAL)
    set(libical_source SOURCE_DIR ${FETCHCONTENT_SOURCE_DIR_LIBICAL})
  else()
    set(libical_source
      URL https://github.com/libical/libical/releases/download/v3.0.16/libical-3.0.16.tar.gz
      URL_HASH SHA256=b44705dd71ca4538c86fb16248483ab4b48978524fb1da5097bd76aa2e0f0c33
      DOWNLOAD_EXTRACT_TIMESTAMP TRUE)
  endif()
  set(libical_archive ${libical_prefix}/lib/${CMAKE_STATIC_LIBRARY_PREFIX}ical${CMAKE_STATIC_LIBRARY_SUFFIX})
  ExternalProject_Add(libical_project ${libical_source}
    INSTALL_DIR ${libical_prefix}
    CMAKE_ARGS -DCMAKE_INSTALL_PREFIX=<INSTALL_DIR> -DCMAKE_INSTALL_LIBDIR=lib
               -DCMAKE_BUILD_TYPE=Release -DCMAKE_POSITION_INDEPENDENT_CODE=ON
               -DCMAKE_POLICY_VERSION_MINIMUM=3.5
               -DCMAKE_OSX_ARCHITECTURES=${CMAKE_OSX_ARCHITECTURES}
               -DCMAKE_OSX_DEPLOYMENT_TARGET=${CMAKE_OSX_DEPLOYMENT_TARGET}
               -DSTATIC_ONLY=ON -DICAL_GLIB=OFF -DICAL_BUILD_DOCS=OFF -DLIBICAL_BUILD_TESTING=OFF
               -DGOBJECT_INTROSPECTION=OFF -DWITH_CXX_BINDINGS=OFF
               -DCMAKE_DISABLE_FIND_PACKAGE_ICU=ON -DCMAKE_DISABLE_FIND_PACKAGE_BerkeleyDB=ON
    BUILD_BYPRODUCTS ${libical_archive})
  file(MAKE_DIRECTORY ${libical_prefix}/include)
  add_library(keyaccount_libical INTERFACE)
  target_include_directories(keyaccount_libical INTERFACE ${libical_prefix}/include)
  find_package(Threads REQUIRED)
  target_link_libraries(keyaccount_libical INTERFACE ${libical_archive} Threads::Threads)
  add_dependencies(keyaccount_libical libical_project)
  add_library(PkgConfig::LIBICAL ALIAS keyaccount_libical)
  list(APPEND keyaccount_fetched_dependencies libical)
endif()

# libcsv (Debian libcsv-dev): no CMake package nor pkg-config file, hence find_path/find_library.
if(NOT KEYACCOUNT_FETCH_DEPENDENCIES)
  find_path(LIBCSV_INCLUDE_DIR csv.h)
  find_library(LIBCSV_LIBRARY csv)
endif()
if(LIBCSV_INCLUDE_DIR AND LIBCSV_LIBRARY)
  # An imported target: the library (keyaccount::io reads CSV) links it privately, and when
  # libkeyaccount is static the installed package names it in keyaccount::keyaccount's link
  # interface; keyaccountConfig.cmake defines the same target in the consumer's project.
  add_library(keyaccount::libcsv UNKNOWN IMPORTED)
  set_target_properties(keyaccount::libcsv PROPERTIES IMPORTED_LOCATION ${LIBCSV_LIBRARY}
                        INTERFACE_INCLUDE_DIRECTORIES ${LIBCSV_INCLUDE_DIR})
else()
  # Upstream builds with autotools; its library is one C file, compiled here.
  # No hash: none could be checked from this project's machines (see README, "Install").
  message(WARNING "libcsv: fetching v3.0.3 without a URL_HASH (not yet pinned by hash)")
  FetchContent_Declare(libcsv URL https://github.com/rgamble/libcsv/archive/refs/tags/v3.0.3.tar.gz
                       DOWNLOAD_EXTRACT_TIMESTAMP TRUE)
  FetchContent_MakeAvailable(libcsv)
  enable_language(C)
  add_library(keyaccount_libcsv STATIC ${libcsv_SOURCE_DIR}/libcsv.c)
  target_include_directories(keyaccount_libcsv PUBLIC ${libcsv_SOURCE_DIR})
  add_library(keyaccount::libcsv ALIAS keyaccount_libcsv)
  list(APPEND keyaccount_fetched_dependencies libcsv)
endif()

if(keyaccount_fetched_dependencies)
  message(STATUS "keyaccount: fetched and built: ${keyaccount_fetched_dependencies}")
  if(KEYACCOUNT_INSTALL)
    # The installed CMake package finds RE2 and libical through pkg-config (keyaccountConfig).
    message(FATAL_ERROR "KEYACCOUNT_INSTALL needs the system packages; fetched: "
                        "${keyaccount_fetched_dependencies} (turn KEYACCOUNT_INSTALL off)")
  endif()
endif()
