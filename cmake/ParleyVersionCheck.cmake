# parley.h states the ABI's version for apps to compile against (PARLEY_VERSION_*); it must
# be the project's version, which names libparley.so's file and soname.
file(STRINGS ${PROJECT_SOURCE_DIR}/include/parley/parley.h parley_version_lines
     REGEX "^#define PARLEY_VERSION_(MAJOR|MINOR|PATCH) [0-9]+$")
set(parley_header_version "")
foreach(part MAJOR MINOR PATCH)
  foreach(line IN LISTS parley_version_lines)
    if(line MATCHES "^#define PARLEY_VERSION_${part} ([0-9]+)$")
      list(APPEND parley_header_version ${CMAKE_MATCH_1})
    endif()
  endforeach()
endforeach()
list(JOIN parley_header_version "." parley_header_version)
if(NOT parley_header_version STREQUAL PROJECT_VERSION)
  message(FATAL_ERROR "include/parley/parley.h says version ${parley_header_version}; the project is ${PROJECT_VERSION}")
endif()
