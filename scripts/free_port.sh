# free_port, sourced by the demo and the shell tests (not a program).
#
# free_port: print a UDP port on 127.0.0.1 that nothing listens on now (the
# kernel's choice for a bind to port 0). Another program may take it before
# the caller binds it; callers start their daemon at once.
free_port() {
	python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
