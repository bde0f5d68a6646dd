# codec benchmarks: NetFlow v5/v9/IPFIX decode and encode throughput.
add_executable(bench_decode ${CMAKE_CURRENT_LIST_DIR}/bench_decode.c)
target_link_libraries(bench_decode PRIVATE flowcore)
target_include_directories(bench_decode PRIVATE ${PROJECT_SOURCE_DIR})
