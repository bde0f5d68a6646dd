# External libraries, all from Debian 12 (scripts/deps.sh installs them).
find_package(PkgConfig REQUIRED)
pkg_check_modules(CONFUSE REQUIRED IMPORTED_TARGET libconfuse)
pkg_check_modules(RRD REQUIRED IMPORTED_TARGET librrd)
pkg_check_modules(PCAP REQUIRED IMPORTED_TARGET libpcap)
pkg_check_modules(ZSTD REQUIRED IMPORTED_TARGET libzstd)
pkg_check_modules(LZ4 REQUIRED IMPORTED_TARGET liblz4)
pkg_check_modules(CMOCKA REQUIRED IMPORTED_TARGET cmocka)
