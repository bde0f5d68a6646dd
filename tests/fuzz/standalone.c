/*
 * Replay driver for fuzz targets built without libFuzzer: runs
 * LLVMFuzzerTestOneInput over every file named on the command line, or
 * every regular file in a named directory (the target's corpus).
 */
#include <sys/stat.h>

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
run_file(const char *path)
{
	FILE *fp;
	uint8_t *buf;
	long n;

	if ((fp = fopen(path, "rb")) == NULL) {
		perror(path);
		return -1;
	}
	if (fseek(fp, 0, SEEK_END) == -1 || (n = ftell(fp)) < 0 ||
	    fseek(fp, 0, SEEK_SET) == -1) {
		fclose(fp);
		return -1;
	}
	/* One spare byte so an empty input is still a valid pointer. */
	if ((buf = malloc((size_t)n + 1)) == NULL) {
		fclose(fp);
		return -1;
	}
	if (fread(buf, 1, (size_t)n, fp) != (size_t)n) {
		free(buf);
		fclose(fp);
		return -1;
	}
	fclose(fp);
	LLVMFuzzerTestOneInput(buf, (size_t)n);
	free(buf);
	return 0;
}

static int
run_path(const char *path, unsigned *count)
{
	struct stat st;
	struct dirent **ents;
	char sub[4096];
	int n, i, r = 0;

	if (stat(path, &st) == -1) {
		perror(path);
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		(*count)++;
		return run_file(path);
	}
	if ((n = scandir(path, &ents, NULL, alphasort)) < 0) {
		perror(path);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (ents[i]->d_name[0] != '.') {
			snprintf(
			    sub, sizeof(sub), "%s/%s", path, ents[i]->d_name);
			if (run_path(sub, count) == -1)
				r = -1;
		}
		free(ents[i]);
	}
	free(ents);
	return r;
}

int
main(int argc, char **argv)
{
	unsigned count = 0;
	int i, r = 0;

	for (i = 1; i < argc; i++)
		if (run_path(argv[i], &count) == -1)
			r = 1;
	printf("replayed %u inputs\n", count);
	if (count == 0) {
		fprintf(stderr, "no corpus inputs\n");
		return 1;
	}
	return r;
}
