/*
 * The collector's settings: the "collector" section of flowtally.conf
 * checked and resolved into plain values, with the command-line flags
 * laid over it.
 */
#ifndef FT_COLLECTOR_CCONF_H
#define FT_COLLECTOR_CCONF_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <confuse.h>

#include "collector/exporter.h"
#include "lib/addr.h"
#include "lib/errbuf.h"
#include "lib/flowfile.h"

#define CCONF_MAX_LISTEN 8

struct cconf_listen {
	struct ft_addr addr; /* FT_AF_NONE: any */
	uint16_t port;
	char ifname[16]; /* multicast: join on this interface; empty: any */
};

/* What the command line says; unset fields leave the config's value. */
struct cconf_cli {
	const char *listen[CCONF_MAX_LISTEN];
	size_t n_listen;
	const char *dir;
	const char *interval;
	const char *pidfile;
	bool export_time;
};

struct cconf {
	struct cconf_listen listen[CCONF_MAX_LISTEN];
	size_t n_listen;
	char dir[PATH_MAX];
	char state_dir[PATH_MAX];
	char stats_file[PATH_MAX];
	char templates_file[PATH_MAX];
	char pidfile[PATH_MAX];
	char control[108]; /* control socket path (sun_path), empty: none */
	char user[64];
	char post_rotate[1024];
	uint64_t interval;
	int nest;
	enum flowfile_codec codec;
	int zstd_level;
	bool export_time;
	uint64_t late_grace; /* seconds the previous interval stays open */
	struct ft_prefix *allow;
	size_t n_allow;
	struct exporter_override *overrides;
	size_t n_overrides;
	int rcvbuf;
	size_t queue_size;
	size_t max_templates;
	size_t max_held_bytes;
	uint64_t expire_max_bytes;
	uint64_t expire_max_age;
	bool expire_dry_run;
	int verbose;
};

/*
 * Resolve cfg (and cli, may be NULL) into c. Returns 0, or -1 with eb
 * naming the option and the bad value. c is to be freed with cconf_clear()
 * in both cases.
 */
int cconf_build(struct cconf *c, cfg_t *cfg, const struct cconf_cli *cli,
    struct errbuf *eb);
void cconf_clear(struct cconf *c);

/*
 * Parse a listen endpoint "[ADDR:]PORT[%IFNAME]" (IPv6 in brackets) into l.
 * An interface is allowed only with a multicast group address. 0, or -1
 * with eb saying why.
 */
int cconf_parse_listen(
    const char *s, struct cconf_listen *l, struct errbuf *eb);

/* Parse a size "123", "10K", "50M", "2G", "1T" (binary units): 0 or -1. */
int cconf_parse_size(const char *s, uint64_t *bytes);

#endif
