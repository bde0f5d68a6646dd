# add_unit_test(name SOURCES f.c... LIBS lib...): a cmocka test under CTest
# with label "unit", run with TZ=UTC and LC_ALL=C.
function(add_unit_test name)
	cmake_parse_arguments(T "" "" "SOURCES;LIBS" ${ARGN})
	add_executable(${name} ${T_SOURCES})
	target_link_libraries(${name} PRIVATE ${T_LIBS} PkgConfig::CMOCKA)
	target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR})
	add_test(NAME ${name} COMMAND ${name})
	set_tests_properties(${name} PROPERTIES LABELS unit
		ENVIRONMENT "TZ=UTC;LC_ALL=C;FT_SRCDIR=${PROJECT_SOURCE_DIR};FT_BUILDDIR=${PROJECT_BINARY_DIR}")
endfunction()

# add_integration_test(name script.sh): a shell test with label "integration".
# The script gets the build and source directories in FT_BUILDDIR/FT_SRCDIR.
function(add_integration_test name script)
	add_test(NAME ${name} COMMAND bash ${script})
	set_tests_properties(${name} PROPERTIES LABELS integration TIMEOUT 600
		ENVIRONMENT "TZ=UTC;LC_ALL=C;FT_SRCDIR=${PROJECT_SOURCE_DIR};FT_BUILDDIR=${PROJECT_BINARY_DIR}")
endfunction()

# add_fuzz_target(name SOURCES f.c LIBS ...): with FUZZ=ON a libFuzzer binary;
# otherwise a replay program run under CTest (label "fuzz") over
# tests/fuzz/corpus/<name>/.
function(add_fuzz_target name)
	cmake_parse_arguments(T "" "" "SOURCES;LIBS" ${ARGN})
	if(FUZZ)
		add_executable(${name} ${T_SOURCES})
		target_link_options(${name} PRIVATE -fsanitize=fuzzer)
	else()
		add_executable(${name} ${T_SOURCES}
			${PROJECT_SOURCE_DIR}/tests/fuzz/standalone.c)
	endif()
	target_link_libraries(${name} PRIVATE ${T_LIBS})
	target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR})
	add_test(NAME ${name}_replay COMMAND ${name}
		${PROJECT_SOURCE_DIR}/tests/fuzz/corpus/${name})
	set_tests_properties(${name}_replay PROPERTIES LABELS fuzz
		ENVIRONMENT "TZ=UTC;LC_ALL=C")
endfunction()
