# CPack: a Debian package (cpack -G DEB) that installs the programs, the
# sample config, man pages, systemd units and web files, creates the
# unprivileged "flowtally" user and its state directories.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME flowtally)
set(CPACK_PACKAGE_VENDOR "flowtally")
set(CPACK_PACKAGE_CONTACT "flowtally developers <flowtally@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
	"NetFlow sensor, collector, RRD scanner and graph CGI")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
# Build packages with -DCMAKE_INSTALL_PREFIX=/usr (scripts/package.sh).
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser, rrdtool")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "rrdcached, lighttpd")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
	${PROJECT_SOURCE_DIR}/cmake/deb/postinst
	${PROJECT_SOURCE_DIR}/cmake/deb/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
