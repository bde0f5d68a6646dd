/*
 * Schema of the "scanner { scoreboard { ... } }" subsection of
 * flowtally.conf: top-talker pages and the aggregate score. Documented in
 * docs/CONFIG.md.
 */
#include "lib/conf.h"

cfg_opt_t conf_board_opts[] = {
	CFG_END(),
};
