/*
 * Fuzz target for the CGI's QUERY_STRING parser: any input either fails
 * cleanly or yields a query whose names pass the allow-list grammar and
 * whose canonical form parses back to the same request.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cgi/query.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *qs, out[QUERY_MAX_LEN * 2];
	struct query q, r;
	struct errbuf eb;
	size_t i;

	if ((qs = malloc(size + 1)) == NULL)
		return 0;
	memcpy(qs, data, size);
	qs[size] = '\0';
	(void)query_wants_image(qs);
	if (query_parse(qs, &q, &eb) == 0) {
		for (i = 0; i < q.nitems; i++)
			if (!query_name_ok(q.items[i].id))
				abort();
		if (q.width != 0 &&
		    (q.width < QUERY_WIDTH_MIN || q.width > QUERY_WIDTH_MAX))
			abort();
		if (query_format(&q, q.page, NULL, out, sizeof(out)) == 0) {
			if (strpbrk(out, ":\n\r\"'<>/") != NULL)
				abort();
			if (query_parse(out, &r, &eb) != 0 ||
			    r.nitems != q.nitems || r.report != q.report ||
			    r.start != q.start || r.end != q.end)
				abort();
		}
	}
	free(qs);
	return 0;
}
