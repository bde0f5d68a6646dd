/*
 * Internal to the encoders: the state of an nf_encoder, and the NetFlow v9
 * and IPFIX datagram writer (templates, sampling options, data sets).
 */
#ifndef FT_NFEXPORT_H
#define FT_NFEXPORT_H

#include <sys/types.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/flow.h"
#include "lib/nfencode.h"

struct nf_encoder {
	struct nf_encoder_opts o;
	uint32_t seq;       /* v5 flows, v9 datagrams, IPFIX data records */
	uint32_t since_tpl; /* datagrams since the templates were sent */
	uint64_t tpl_ms;    /* when they were sent */
	bool tpl_due;
};

/* Template ids the encoder uses. */
#define NFX_TID_V4  256
#define NFX_TID_V6  257
#define NFX_TID_OPT 258

/* nf_encoder_pack() for versions 9 and 10. */
ssize_t nfx_pack(struct nf_encoder *e, const struct flow *flows, size_t n,
    uint64_t now_ms, uint8_t *buf, size_t cap, size_t *consumed,
    size_t *skipped);

#endif
