# Helpers that give every library, service and test the same shape.

set(MARINA_WARNINGS -Wall -Wextra -Wpedantic -Wno-missing-field-initializers)

if(MARINA_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

# marina_library(<module> SOURCES ... [PUBLIC_DEPS ...] [PRIVATE_DEPS ...])
# Creates static library marina_<module> (alias marina::<module>) with the public
# headers in include/ and private sources in src/.
function(marina_library module)
  cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(marina_${module} STATIC ${ARG_SOURCES})
  add_library(marina::${module} ALIAS marina_${module})
  target_include_directories(marina_${module}
    PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include
    PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/src)
  target_compile_options(marina_${module} PRIVATE ${MARINA_WARNINGS})
  target_link_libraries(marina_${module} PUBLIC ${ARG_PUBLIC_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
endfunction()

# marina_service_library(<name> SOURCES ... [PUBLIC_DEPS ...] [PRIVATE_DEPS ...])
# A service's logic, one shape for every service (see README.md, Layout):
# - marina::svc_<name>: marina_library(svc_<name> ...); its public headers
#   (include/marina/<name>/) are only what main.cpp, test harnesses and
#   benchmarks need: service.hpp, and where there is one, the in-process facade
#   and the settings it takes;
# - marina::svc_<name>_internals: the same library plus its private src/ on the
#   include path (and the dependencies those headers use), for the tests of its
#   internals. Only tests link it.
function(marina_service_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  marina_library(svc_${name} SOURCES ${ARG_SOURCES} PUBLIC_DEPS ${ARG_PUBLIC_DEPS} PRIVATE_DEPS ${ARG_PRIVATE_DEPS})
  add_library(marina_svc_${name}_internals INTERFACE)
  add_library(marina::svc_${name}_internals ALIAS marina_svc_${name}_internals)
  target_include_directories(marina_svc_${name}_internals INTERFACE ${CMAKE_CURRENT_SOURCE_DIR}/src)
  target_link_libraries(marina_svc_${name}_internals INTERFACE marina_svc_${name} ${ARG_PRIVATE_DEPS})
endfunction()

# marina_test(<name> LABEL unit|pg|redis|e2e SOURCES ... LIBS ... [TIMEOUT s])
# A GoogleTest program registered with ctest under its label.
function(marina_test name)
  cmake_parse_arguments(ARG "" "LABEL;TIMEOUT" "SOURCES;LIBS" ${ARGN})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_compile_options(${name} PRIVATE ${MARINA_WARNINGS})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gtest GTest::gmock GTest::gtest_main)
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES LABELS "${ARG_LABEL}" TIMEOUT ${ARG_TIMEOUT}
    ENVIRONMENT "MARINA_SOURCE_DIR=${PROJECT_SOURCE_DIR};MARINA_BINARY_DIR=${PROJECT_BINARY_DIR}")
endfunction()

# marina_bench(<name> SOURCES ... LIBS ...)
function(marina_bench name)
  if(NOT MARINA_BENCH)
    return()
  endif()
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} benchmark::benchmark benchmark::benchmark_main)
endfunction()

# marina_service(<name> LIB <logic library>) builds services/<name>/main.cpp as
# binary marina-<name>.
function(marina_service name)
  cmake_parse_arguments(ARG "" "" "LIBS" ${ARGN})
  add_executable(marina-${name} main.cpp)
  target_compile_options(marina-${name} PRIVATE ${MARINA_WARNINGS})
  target_link_libraries(marina-${name} PRIVATE ${ARG_LIBS})
  install(TARGETS marina-${name} RUNTIME DESTINATION bin)
endfunction()
