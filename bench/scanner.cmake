# Scanner benchmarks (bench/scanner.sh drives them): classification,
# RRD writing, and a NetFlow v9 sender for the nfdump comparison.
add_executable(scanner_bench ${CMAKE_CURRENT_LIST_DIR}/scanner_bench.c)
target_link_libraries(scanner_bench PRIVATE scanner_core)
target_include_directories(scanner_bench PRIVATE ${PROJECT_SOURCE_DIR})
