/*
 * Logging in the OpenBSD ntpd style: stderr in the foreground, syslog once a
 * daemon. One event per line, no trailing newline in formats.
 */
#ifndef FT_LOG_H
#define FT_LOG_H

#include <stdarg.h>

/*
 * Start logging as procname. foreground != 0 writes to stderr, otherwise to
 * syslog with the given facility (LOG_DAEMON when 0).
 */
void log_init(const char *procname, int foreground, int facility);
/* Verbosity: 0 info and above, 1 and more adds debug messages. */
void log_setverbose(int verbose);
int log_getverbose(void);

/* Warnings that append ": strerror(errno)". */
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Warnings without errno. */
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Start-up failures in main.c only: log and exit(1). lib/ never calls them. */
void fatal(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));
void fatalx(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

#endif
