/*
 * Schema of the "collector { ... }" section of flowtally.conf. Document every
 * option in docs/CONFIG.md when it is added.
 */
#include "lib/conf.h"

cfg_opt_t conf_collector_opts[] = {
	CFG_END(),
};
