# wait_for, sourced by the demo and the shell tests (not a program).
#
# wait_for SECONDS CMD...: run CMD every 0.1 s until it succeeds (returns 0)
# or SECONDS have passed (returns 1). CMD's stderr is discarded while
# polling: a command that is expected to fail until the condition holds
# (curl against a server still starting, say) would only add noise.
wait_for() {
	local deadline=$((SECONDS + $1))
	shift
	until "$@" 2>/dev/null; do
		[ $SECONDS -lt $deadline ] || return 1
		sleep 0.1
	done
}
