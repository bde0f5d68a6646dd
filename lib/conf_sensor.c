/*
 * Schema of the "sensor { ... }" section of flowtally.conf. Document every
 * option in docs/CONFIG.md when it is added.
 */
#include "lib/conf.h"

cfg_opt_t conf_sensor_opts[] = {
	CFG_END(),
};
