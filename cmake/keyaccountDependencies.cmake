# Third-party dependencies: all installed from Debian packages (see scripts/setup), never vendored.
find_package(nlohmann_json 3.10 CONFIG REQUIRED)
find_package(PkgConfig REQUIRED)
# Debian 12 ships RE2 without a CMake package, only a pkg-config file.
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)
# libical 3 (Debian libical-dev) writes the maintenance plan as iCalendar; pkg-config only.
pkg_check_modules(LIBICAL REQUIRED IMPORTED_TARGET libical)
