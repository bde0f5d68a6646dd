# Flow-file reader/writer benchmark (bench/flowfile.sh runs it; never ctest).
add_executable(bench_flowfile ${CMAKE_CURRENT_LIST_DIR}/bench_flowfile.c)
target_link_libraries(bench_flowfile PRIVATE flowcore)
target_include_directories(bench_flowfile PRIVATE ${PROJECT_SOURCE_DIR})
