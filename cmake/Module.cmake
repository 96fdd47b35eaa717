# One CMake library per server module. Include paths are rooted at server/ so that an include
# names its module ("ingest/sarif_reader.h"); the include-rule test relies on that.
set(ASPM_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
    -Woverloaded-virtual -Wformat=2 -Wimplicit-fallthrough)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  # GCC 12 at -O3 reports -Wrestrict on inlined std::string concatenation ("a" + std::string),
  # a known false positive of that release (GCC PR 105651); it cannot be fixed in our code.
  list(APPEND ASPM_WARNINGS -Wno-restrict)
endif()
if(ASPM_WERROR)
  list(APPEND ASPM_WARNINGS -Werror)
endif()

if(ASPM_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

if(ASPM_FUZZ)
  # Coverage instrumentation for every library, so libFuzzer can steer into the parsers.
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

function(aspm_warnings target)
  target_compile_options(${target} PRIVATE $<$<COMPILE_LANGUAGE:CXX>:${ASPM_WARNINGS}>)
endfunction()

# aspm_module(NAME SOURCES ... PUBLIC_DEPS ... PRIVATE_DEPS ...)
function(aspm_module name)
  cmake_parse_arguments(M "" "" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(aspm_${name} STATIC ${M_SOURCES})
  target_include_directories(aspm_${name} PUBLIC ${PROJECT_SOURCE_DIR}/server)
  target_link_libraries(aspm_${name} PUBLIC ${M_PUBLIC_DEPS} PRIVATE ${M_PRIVATE_DEPS})
  aspm_warnings(aspm_${name})
endfunction()
