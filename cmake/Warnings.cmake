# Warning flags shared by every target (STYLE.md section 10).
add_compile_options(-Wall -Wextra -Wshadow -Wpointer-arith
	-Wstrict-prototypes -Wmissing-prototypes -Wformat=2
	-Wimplicit-fallthrough -Wvla -Wundef)
if(WERROR)
	add_compile_options(-Werror)
endif()
if(CMAKE_BUILD_TYPE MATCHES "Rel")
	add_compile_options(-fstack-protector-strong)
	if(NOT SANITIZE)
		add_compile_definitions(_FORTIFY_SOURCE=2)
	endif()
endif()
