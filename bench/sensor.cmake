# Sensor benchmark and test helpers: sensor_sink (UDP NetFlow sink that
# counts, decodes and can write a pcap), used by bench/sensor_bench.sh and
# tests/integration/test_sensor_*.sh.
add_executable(sensor_sink ${CMAKE_CURRENT_LIST_DIR}/sensor_sink.c)
target_link_libraries(sensor_sink PRIVATE flowcore)
target_include_directories(sensor_sink PRIVATE ${PROJECT_SOURCE_DIR})
