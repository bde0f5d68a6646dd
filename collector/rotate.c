/*
 * Rotation: one open flowfile_writer at a time. Intervals are aligned to
 * the epoch (so to UTC midnight for any interval dividing a day); the file
 * is written under the flowfile in-progress name and only its rename makes
 * it visible as complete.
 */
#include "collector/rotate.h"

#include <sys/wait.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/log.h"

struct rotate {
	char *dir;
	char *post_cmd;
	uint64_t interval;
	int nest;
	bool export_time;
	struct flowfile_opts ff;
	struct flowfile_writer *w;
	uint64_t start;
	uint64_t records;
	uint64_t last_write_mono;
	int children;
	/* the grace file: the previous interval's, kept open a while */
	uint64_t grace_ms;
	struct flowfile_writer *gw;
	uint64_t gstart;
	uint64_t gsince_mono;
};

struct rotate *
rotate_new(const struct rotate_opts *o)
{
	struct rotate *r;

	if (o->interval == 0 || o->dir == NULL) {
		errno = EINVAL;
		return NULL;
	}
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	if ((r->dir = strdup(o->dir)) == NULL) {
		free(r);
		return NULL;
	}
	r->interval = o->interval;
	r->nest = o->nest;
	r->export_time = o->export_time;
	r->grace_ms = o->export_time ? o->late_grace * 1000 : 0;
	r->ff = o->ff;
	r->ff.nest = o->nest;
	if (rotate_set_post_cmd(r, o->post_cmd) == -1) {
		rotate_free(r);
		return NULL;
	}
	return r;
}

void
rotate_free(struct rotate *r)
{
	if (r == NULL)
		return;
	if (r->gw != NULL)
		flowfile_writer_abort(r->gw);
	if (r->w != NULL)
		flowfile_writer_abort(r->w);
	free(r->dir);
	free(r->post_cmd);
	free(r);
}

int
rotate_set_post_cmd(struct rotate *r, const char *cmd)
{
	char *c = NULL;

	if (cmd != NULL && *cmd != '\0' && (c = strdup(cmd)) == NULL)
		return -1;
	free(r->post_cmd);
	r->post_cmd = c;
	return 0;
}

uint64_t
rotate_bin(uint64_t t_ms, uint64_t interval)
{
	uint64_t t = t_ms / 1000;

	return t - t % interval;
}

uint64_t
rotate_pick(
    const struct rotate *r, uint64_t arrival_ms, uint64_t export_ms, bool *late)
{
	uint64_t bin;

	*late = false;
	if (r->export_time && export_ms != 0)
		bin = rotate_bin(export_ms, r->interval);
	else
		bin = rotate_bin(arrival_ms, r->interval);
	if (r->gw != NULL && bin <= r->gstart) {
		*late = bin < r->gstart;
		return r->gstart;
	}
	if (r->w != NULL && bin < r->start) {
		*late = true;
		bin = r->start;
	}
	return bin;
}

bool
rotate_is_open(const struct rotate *r, uint64_t *start)
{
	if (start != NULL)
		*start = r->start;
	return r->w != NULL;
}

bool
rotate_must_publish(const struct rotate *r, uint64_t bin)
{
	if (r->w == NULL || bin <= r->start)
		return false;
	return r->grace_ms == 0 || r->gw != NULL;
}

bool
rotate_grace_open(const struct rotate *r, uint64_t *start)
{
	if (start != NULL)
		*start = r->gstart;
	return r->gw != NULL;
}

bool
rotate_grace_due(const struct rotate *r, uint64_t mono_ms)
{
	return r->gw != NULL && mono_ms >= r->gsince_mono + r->grace_ms;
}

bool
rotate_due(const struct rotate *r, uint64_t now_ms, uint64_t mono_ms)
{
	if (r->w == NULL && r->gw == NULL)
		return false;
	if (!r->export_time)
		return r->w != NULL && now_ms / 1000 >= r->start + r->interval;
	return mono_ms >= r->last_write_mono + r->interval * 1000;
}

int
rotate_open(struct rotate *r, uint64_t bin, uint64_t mono_ms)
{
	if (r->w != NULL)
		return 0;
	if (flowfile_writer_open(
		r->dir, bin, bin + r->interval, &r->ff, &r->w) == -1) {
		r->w = NULL;
		return -1;
	}
	r->start = bin;
	r->records = 0;
	r->last_write_mono = mono_ms;
	return 0;
}

int
rotate_write(struct rotate *r, uint64_t bin, const struct flow *f, size_t n,
    uint64_t mono_ms)
{
	struct flowfile_writer *w;

	if (r->gw != NULL && bin == r->gstart)
		w = r->gw;
	else {
		if (r->w != NULL && bin > r->start && r->grace_ms != 0 &&
		    r->gw == NULL) {
			/* The current file becomes the grace file. */
			r->gw = r->w;
			r->gstart = r->start;
			r->gsince_mono = mono_ms;
			r->w = NULL;
		}
		if (r->w == NULL && rotate_open(r, bin, mono_ms) == -1)
			return -1;
		w = r->w;
	}
	r->last_write_mono = mono_ms;
	if (n == 0)
		return 0;
	if (flowfile_write(w, f, n) == -1)
		return -1;
	if (w == r->w)
		r->records += n;
	return 0;
}

static void
rotate_run_post(struct rotate *r, const char *path)
{
	pid_t pid;

	if (r->post_cmd == NULL)
		return;
	pid = fork();
	if (pid == -1) {
		log_warn("post-rotate command for %s: fork", path);
		return;
	}
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", r->post_cmd, "sh", path,
		    (char *)NULL);
		_exit(127);
	}
	r->children++;
}

int
rotate_publish(struct rotate *r, const struct flowfile_exporter *exp,
    size_t n_exp, char *path, size_t len)
{
	char final[4096];
	struct flowfile_writer *w;

	if (r->gw != NULL) {
		w = r->gw; /* the oldest first */
		r->gw = NULL;
	} else {
		if ((w = r->w) == NULL)
			return 0;
		r->w = NULL;
	}
	if (flowfile_writer_close(w, exp, n_exp, final, sizeof(final)) == -1)
		return -1;
	if (path != NULL && len > 0) {
		strncpy(path, final, len - 1);
		path[len - 1] = '\0';
	}
	rotate_run_post(r, final);
	return 1;
}

void
rotate_reap(struct rotate *r)
{
	int status;
	pid_t pid;

	while (r->children > 0 && (pid = waitpid(-1, &status, WNOHANG)) > 0) {
		r->children--;
		if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
			log_warnx("post-rotate command (pid %d) exited %d",
			    (int)pid, WEXITSTATUS(status));
		else if (WIFSIGNALED(status))
			log_warnx("post-rotate command (pid %d) killed by "
				  "signal %d",
			    (int)pid, WTERMSIG(status));
	}
}

uint64_t
rotate_records(const struct rotate *r)
{
	return r->records;
}
