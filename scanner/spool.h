/*
 * The spool of flow files: lists complete files (final names only, never
 * in-progress ones) oldest first, under a flat or date-nested directory;
 * remembers processed files in a ledger (an fsync'ed append-only text
 * file) and archives them: move to a saved directory, delete, or keep in
 * place. Also the state-directory lock that serialises scanners.
 */
#ifndef FT_SCANNER_SPOOL_H
#define FT_SCANNER_SPOOL_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/errbuf.h"

enum spool_archive {
	SPOOL_KEEP = 0,
	SPOOL_MOVE,
	SPOOL_DELETE,
};

struct spool_file {
	char path[PATH_MAX];
	uint64_t start;
};

struct spool {
	char *dir;
	char *saved_dir;
	char *state_dir;
	enum spool_archive archive;
	int ledger_fd;
	uint64_t *done; /* sorted interval starts in the ledger */
	size_t n_done, cap_done;
	int lock_fd;   /* instance lock: this scanner */
	int writer_fd; /* writer lock: this scanner and its RRD writer */
};

/*
 * Parse an archive mode "keep", "move" or "delete": 0, or -1.
 */
int spool_parse_archive(const char *s, enum spool_archive *a);
/*
 * Open the spool: create state_dir (and saved_dir for SPOOL_MOVE; "" or
 * NULL means dir/saved), load the ledger. Returns 0, or -1 with eb set.
 */
int spool_open(struct spool *s, const char *dir, const char *state_dir,
    enum spool_archive archive, const char *saved_dir, struct errbuf *eb);
void spool_close(struct spool *s);
/*
 * Take the state directory's locks: the instance lock at once (another
 * live scanner is an error), then the writer lock, waiting up to wait_ms
 * for the RRD writer of a scanner that died to finish. The RRD writer
 * child closes lock_fd and keeps writer_fd. 0, or -1 with eb set.
 */
int spool_lock(struct spool *s, unsigned wait_ms, struct errbuf *eb);
/*
 * List the complete files not yet in the ledger, oldest first. *out is
 * allocated (caller frees); 0, or -1 with eb set.
 */
int spool_list(
    struct spool *s, struct spool_file **out, size_t *n, struct errbuf *eb);
/* Whether the file starting at start is in the ledger. */
bool spool_is_done(const struct spool *s, uint64_t start);
/*
 * Record a processed file in the ledger (fsync'ed) and archive it.
 * Returns 0, or -1 with eb set (the ledger entry still stands).
 */
int spool_done(struct spool *s, const struct spool_file *f, const char *summary,
    struct errbuf *eb);
/* Archive a file without processing it (already in the ledger). */
int spool_archive_file(
    struct spool *s, const struct spool_file *f, struct errbuf *eb);
/* Move an unreadable file to dir/rejected/: 0 or -1 with eb set. */
int spool_reject(
    struct spool *s, const struct spool_file *f, struct errbuf *eb);

#endif
