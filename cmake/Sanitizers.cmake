# -DSANITIZE=address,undefined: instrumented build for CI's second pass.
if(SANITIZE)
	set(_san -fsanitize=${SANITIZE} -fno-sanitize-recover=all
		-fno-omit-frame-pointer -g)
	add_compile_options(${_san} -O1)
	add_link_options(${_san})
endif()
if(FUZZ)
	if(NOT CMAKE_C_COMPILER_ID STREQUAL "Clang")
		message(FATAL_ERROR "FUZZ=ON needs clang (CC=clang)")
	endif()
	add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -g)
	add_link_options(-fsanitize=address,undefined)
endif()
