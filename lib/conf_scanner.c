/*
 * Schema of the "scanner { ... }" section of flowtally.conf. Document every
 * option in docs/CONFIG.md when it is added.
 */
#include "lib/conf.h"

cfg_opt_t conf_scanner_opts[] = {
	CFG_END(),
};
