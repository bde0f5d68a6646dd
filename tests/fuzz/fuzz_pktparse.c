/*
 * Fuzz target for the sensor's frame parser: the first byte picks the link
 * type, the second how much of the frame was "captured", the rest is the
 * frame. Each parsed packet is also fed to a small flow table.
 */
#include <pcap/dlt.h>
#include <stddef.h>
#include <stdint.h>

#include "sensor/flowtable.h"
#include "sensor/pktparse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const int linktypes[] = { DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2,
	DLT_RAW, DLT_IPV4, DLT_IPV6, DLT_NULL, DLT_LOOP, 9999 };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct flowtable *ft;
	struct pkt_info pi;
	size_t caplen, extra;
	int dlt;

	if (size < 2)
		return 0;
	if (ft == NULL && (ft = flowtable_new(64, NULL, NULL, NULL)) == NULL)
		return 0;
	dlt = linktypes[data[0] % (sizeof(linktypes) / sizeof(linktypes[0]))];
	extra = data[1]; /* the frame was this much longer than captured */
	caplen = size - 2;
	if (pkt_parse(dlt, data + 2, caplen, caplen + extra, &pi) == PKT_OK) {
		if (pi.bytes > caplen + extra)
			__builtin_trap();
		flowtable_add(ft, &pi, data[1] * 1000ULL);
	}
	return 0;
}
