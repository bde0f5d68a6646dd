/*
 * A UDP NetFlow sink for the sensor's tests and benchmarks: receives
 * datagrams on 127.0.0.1, counts them, and optionally decodes them with
 * lib/nfdecode (one text line per flow) and writes them to a pcap file
 * (raw IPv4/UDP around each datagram) for tshark.
 *
 * usage: sensor_sink -P PORTFILE [-p PORT] [-o FLOWS] [-w PCAP] [-c COUNTFILE]
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/addr.h"
#include "lib/nfdecode.h"

static volatile sig_atomic_t quit;

static void
on_term(int sig)
{
	(void)sig;
	quit = 1;
}

static int
print_flow(void *arg, const struct flow *f)
{
	char s[ADDR_STRLEN], d[ADDR_STRLEN];

	fprintf((FILE *)arg,
	    "%s %s %u %u %u %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64
	    " %u %u\n",
	    addr_format(&f->src, s, sizeof(s)),
	    addr_format(&f->dst, d, sizeof(d)), f->proto, f->sport, f->dport,
	    f->packets, f->bytes, f->first_ms, f->last_ms, f->tos, f->sampling);
	return 0;
}

static void
put32le(FILE *fp, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
		(uint8_t)(v >> 24) };
	fwrite(b, 1, 4, fp);
}

static void
pcap_record(FILE *fp, const uint8_t *p, size_t len,
    const struct sockaddr_in *from, uint16_t dport)
{
	struct timespec ts;
	uint8_t h[28];
	size_t tot = len + 28;

	clock_gettime(CLOCK_REALTIME, &ts);
	put32le(fp, (uint32_t)ts.tv_sec);
	put32le(fp, (uint32_t)(ts.tv_nsec / 1000));
	put32le(fp, (uint32_t)tot);
	put32le(fp, (uint32_t)tot);
	memset(h, 0, sizeof(h));
	h[0] = 0x45;
	h[2] = (uint8_t)(tot >> 8);
	h[3] = (uint8_t)tot;
	h[8] = 64;
	h[9] = 17;
	memcpy(h + 12, &from->sin_addr, 4);
	h[16] = 127;
	h[19] = 1;
	memcpy(h + 20, &from->sin_port, 2);
	h[22] = (uint8_t)(dport >> 8);
	h[23] = (uint8_t)dport;
	h[24] = (uint8_t)((len + 8) >> 8);
	h[25] = (uint8_t)(len + 8);
	fwrite(h, 1, sizeof(h), fp);
	fwrite(p, 1, len, fp);
}

int
main(int argc, char **argv)
{
	const char *portfile = NULL, *flowsfile = NULL, *pcapfile = NULL,
		   *countfile = NULL;
	struct sockaddr_in sin, from;
	struct nf_session *sess = NULL;
	struct nf_packet_info info;
	struct sigaction sa;
	socklen_t sl;
	FILE *flows = NULL, *pcap = NULL, *fp;
	uint8_t buf[65536];
	uint64_t count = 0, bytes = 0, errs = 0;
	int ch, fd, port = 0, rcvbuf = 32 << 20;
	ssize_t n;

	while ((ch = getopt(argc, argv, "c:o:p:P:w:")) != -1) {
		switch (ch) {
		case 'c':
			countfile = optarg;
			break;
		case 'o':
			flowsfile = optarg;
			break;
		case 'p':
			port = atoi(optarg);
			break;
		case 'P':
			portfile = optarg;
			break;
		case 'w':
			pcapfile = optarg;
			break;
		default:
			fprintf(stderr,
			    "usage: sensor_sink -P PORTFILE [-p PORT] "
			    "[-o FLOWS] [-w PCAP] [-c COUNTFILE]\n");
			return 1;
		}
	}
	if ((fd = socket(AF_INET, SOCK_DGRAM, 0)) == -1) {
		perror("socket");
		return 1;
	}
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1) {
		perror("bind");
		return 1;
	}
	sl = sizeof(sin);
	getsockname(fd, (struct sockaddr *)&sin, &sl);
	port = ntohs(sin.sin_port);
	if (flowsfile != NULL) {
		if ((flows = fopen(flowsfile, "w")) == NULL ||
		    (sess = nf_session_new(&(struct nf_limits){ 0 })) == NULL) {
			perror(flowsfile);
			return 1;
		}
	}
	if (pcapfile != NULL) {
		if ((pcap = fopen(pcapfile, "wb")) == NULL) {
			perror(pcapfile);
			return 1;
		}
		put32le(pcap, 0xa1b2c3d4);
		put32le(pcap, 0x00040002);
		put32le(pcap, 0);
		put32le(pcap, 0);
		put32le(pcap, 65535);
		put32le(pcap, 101); /* LINKTYPE_RAW */
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if (portfile != NULL) {
		if ((fp = fopen(portfile, "w")) == NULL) {
			perror(portfile);
			return 1;
		}
		fprintf(fp, "%d\n", port);
		fclose(fp);
	}
	while (!quit) {
		sl = sizeof(from);
		n = recvfrom(
		    fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &sl);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			perror("recvfrom");
			break;
		}
		count++;
		bytes += (uint64_t)n;
		if (sess != NULL &&
		    nf_decode(sess, buf, (size_t)n, (struct sockaddr *)&from, 0,
			print_flow, flows, &info) != NF_OK)
			errs++;
		if (pcap != NULL)
			pcap_record(
			    pcap, buf, (size_t)n, &from, (uint16_t)port);
		if (countfile != NULL && (fp = fopen(countfile, "w")) != NULL) {
			if (flows != NULL)
				fflush(flows);
			if (pcap != NULL)
				fflush(pcap);
			fprintf(fp, "%" PRIu64 "\n", count);
			fclose(fp);
		}
	}
	if (flows != NULL)
		fclose(flows);
	if (pcap != NULL)
		fclose(pcap);
	nf_session_free(sess);
	fprintf(stderr,
	    "sensor_sink: %" PRIu64 " datagrams, %" PRIu64 " bytes, %" PRIu64
	    " decode errors\n",
	    count, bytes, errs);
	return 0;
}
