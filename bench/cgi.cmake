# CGI benchmark helper (bench/cgi_bench.sh drives it): prints the graph
# arguments flowtally.cgi would draw, for a side-by-side rrdtool graph run.
if(TARGET cgi_core)
	add_executable(cgi_graph_args ${CMAKE_CURRENT_LIST_DIR}/cgi_graph_args.c)
	target_link_libraries(cgi_graph_args PRIVATE cgi_core)
endif()
