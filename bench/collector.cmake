# Collector benchmark and test sender: ft-nfsend (deterministic NetFlow
# v5/v9/IPFIX to loopback). bench/collector.sh drives it against
# flowtally-collector and nfcapd; the collector's integration tests use it
# too.
add_executable(ft-nfsend ${CMAKE_CURRENT_LIST_DIR}/nfsend.c)
target_link_libraries(ft-nfsend PRIVATE flowcore)
target_include_directories(ft-nfsend PRIVATE ${PROJECT_SOURCE_DIR})
