/*
 * libpcap wrapper: opens a live interface or a capture file, compiles and
 * sets the BPF filter, and turns pcap_dispatch() callbacks into
 * struct capture_pkt with millisecond timestamps.
 */
#include "sensor/capture.h"

#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>

struct capture {
	pcap_t *pcap;
	int live;
	int fd;
	capture_fn *fn;
	void *arg;
	uint64_t last_recv, last_drop, last_ifdrop; /* wrap tracking */
	uint64_t recv, drop, ifdrop;
};

static int
capture_filter(
    struct capture *c, const char *name, const char *filter, struct errbuf *eb)
{
	struct bpf_program prog;

	if (filter == NULL || *filter == '\0')
		return 0;
	if (pcap_compile(c->pcap, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) ==
	    -1) {
		errbuf_set(eb, "%s: filter \"%s\": %s", name, filter,
		    pcap_geterr(c->pcap));
		return -1;
	}
	if (pcap_setfilter(c->pcap, &prog) == -1) {
		errbuf_set(eb, "%s: setfilter: %s", name, pcap_geterr(c->pcap));
		pcap_freecode(&prog);
		return -1;
	}
	pcap_freecode(&prog);
	return 0;
}

struct capture *
capture_open_live(const char *iface, int snaplen, int promisc,
    const char *filter, struct errbuf *eb)
{
	char perr[PCAP_ERRBUF_SIZE] = "";
	struct capture *c;
	int rc;

	if ((c = calloc(1, sizeof(*c))) == NULL) {
		errbuf_set(eb, "out of memory");
		return NULL;
	}
	c->live = 1;
	c->fd = -1;
	if ((c->pcap = pcap_create(iface, perr)) == NULL) {
		errbuf_set(eb, "%s: %s", iface, perr);
		goto fail;
	}
	if (pcap_set_snaplen(c->pcap, snaplen) != 0 ||
	    pcap_set_promisc(c->pcap, promisc) != 0 ||
	    pcap_set_timeout(c->pcap, 100) != 0 ||
	    pcap_set_buffer_size(c->pcap, 8 << 20) != 0) {
		errbuf_set(eb, "%s: cannot set capture options", iface);
		goto fail;
	}
	(void)pcap_set_immediate_mode(c->pcap, 0);
	if ((rc = pcap_activate(c->pcap)) < 0) {
		errbuf_set(eb, "%s: %s%s%s", iface, pcap_statustostr(rc),
		    rc == PCAP_ERROR ? ": " : "",
		    rc == PCAP_ERROR ? pcap_geterr(c->pcap) : "");
		goto fail;
	}
	if (capture_filter(c, iface, filter, eb) == -1)
		goto fail;
	if (pcap_setnonblock(c->pcap, 1, perr) == -1) {
		errbuf_set(eb, "%s: %s", iface, perr);
		goto fail;
	}
	c->fd = pcap_get_selectable_fd(c->pcap);
	return c;
fail:
	capture_close(c);
	return NULL;
}

static struct capture *
capture_finish_offline(struct capture *c, const char *name, const char *filter,
    const char *perr, struct errbuf *eb)
{
	if (c->pcap == NULL) {
		if (strncmp(perr, name, strlen(name)) == 0)
			errbuf_set(eb, "%s", perr); /* libpcap named it */
		else
			errbuf_set(eb, "%s: %s", name, perr);
		capture_close(c);
		return NULL;
	}
	if (capture_filter(c, name, filter, eb) == -1) {
		capture_close(c);
		return NULL;
	}
	return c;
}

struct capture *
capture_open_file(const char *path, const char *filter, struct errbuf *eb)
{
	char perr[PCAP_ERRBUF_SIZE] = "";
	struct capture *c;

	if ((c = calloc(1, sizeof(*c))) == NULL) {
		errbuf_set(eb, "out of memory");
		return NULL;
	}
	c->fd = -1;
	c->pcap = pcap_open_offline_with_tstamp_precision(
	    path, PCAP_TSTAMP_PRECISION_MICRO, perr);
	return capture_finish_offline(c, path, filter, perr, eb);
}

struct capture *
capture_open_fp(
    FILE *fp, const char *name, const char *filter, struct errbuf *eb)
{
	char perr[PCAP_ERRBUF_SIZE] = "";
	struct capture *c;

	if ((c = calloc(1, sizeof(*c))) == NULL) {
		errbuf_set(eb, "out of memory");
		fclose(fp);
		return NULL;
	}
	c->fd = -1;
	c->pcap = pcap_fopen_offline_with_tstamp_precision(
	    fp, PCAP_TSTAMP_PRECISION_MICRO, perr);
	if (c->pcap == NULL)
		fclose(fp);
	return capture_finish_offline(c, name, filter, perr, eb);
}

void
capture_close(struct capture *c)
{
	if (c == NULL)
		return;
	if (c->pcap != NULL)
		pcap_close(c->pcap);
	free(c);
}

int
capture_linktype(const struct capture *c)
{
	return pcap_datalink(c->pcap);
}

int
capture_fd(const struct capture *c)
{
	return c->fd;
}

static void
capture_cb(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct capture *c = (struct capture *)user;
	struct capture_pkt pkt;

	pkt.ts_ms =
	    (uint64_t)h->ts.tv_sec * 1000 + (uint64_t)h->ts.tv_usec / 1000;
	pkt.data = bytes;
	pkt.caplen = h->caplen;
	pkt.wirelen = h->len;
	c->fn(c->arg, &pkt);
}

int
capture_dispatch(
    struct capture *c, int cnt, capture_fn *fn, void *arg, struct errbuf *eb)
{
	int n;

	c->fn = fn;
	c->arg = arg;
	n = pcap_dispatch(c->pcap, cnt, capture_cb, (u_char *)c);
	if (n == PCAP_ERROR) {
		errbuf_set(eb, "%s", pcap_geterr(c->pcap));
		return -1;
	}
	if (n == PCAP_ERROR_BREAK)
		return 0;
	if (n == 0 && !c->live)
		return -2;
	return n;
}

/* pcap_stats counters are 32-bit and wrap: accumulate deltas. */
static uint64_t
capture_acc(uint64_t *last, uint64_t *total, unsigned int now)
{
	*total += (uint32_t)(now - (uint32_t)*last);
	*last = now;
	return *total;
}

int
capture_stats(struct capture *c, uint64_t *received, uint64_t *dropped,
    uint64_t *ifdropped)
{
	struct pcap_stat ps;

	if (!c->live || pcap_stats(c->pcap, &ps) == -1)
		return -1;
	*received = capture_acc(&c->last_recv, &c->recv, ps.ps_recv);
	*dropped = capture_acc(&c->last_drop, &c->drop, ps.ps_drop);
	*ifdropped = capture_acc(&c->last_ifdrop, &c->ifdrop, ps.ps_ifdrop);
	return 0;
}
