# Scoreboard benchmark (bench/board.sh runs it; never part of ctest).
if(TARGET scanner_core)
	add_executable(board_bench ${CMAKE_CURRENT_LIST_DIR}/board_bench.c)
	target_link_libraries(board_bench PRIVATE scanner_core flowcore)
	target_include_directories(board_bench PRIVATE ${PROJECT_SOURCE_DIR})
endif()
