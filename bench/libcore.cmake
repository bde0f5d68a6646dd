# libcore benchmarks: prefix-set lookups (bench_netset).
add_executable(bench_netset ${CMAKE_CURRENT_LIST_DIR}/bench_netset.c)
target_link_libraries(bench_netset PRIVATE flowcore)
target_include_directories(bench_netset PRIVATE ${PROJECT_SOURCE_DIR})
