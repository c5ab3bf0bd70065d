/*
 * driver.c - a plain main() for the fuzz targets, so that gcc builds
 * replay the corpora in `make check` without libFuzzer (the way libgit2's
 * fuzzers/standalone_driver.c does).
 *
 * Every argument is a file or a folder; a folder's regular files are
 * replayed in name order, so a failure reproduces the same way each time.
 * Each input is handed to LLVMFuzzerTestOneInput in a buffer of exactly
 * its size: an over-read shows under AddressSanitizer as it would under
 * libFuzzer. A target reports a broken invariant by aborting; the driver
 * itself only fails when it cannot read what it was given (a misspelt
 * corpus path must not pass as "0 inputs").
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *program;
static unsigned long n_replayed;

/* Read path whole into a buffer of its exact size; -1 on failure. */
static int read_file(const char *path, uint8_t **out, size_t *out_size)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *data = NULL;
	size_t size = 0, cap = 0;
	int rc = -1;

	*out = NULL;
	*out_size = 0;
	if (!fp)
		goto cleanup;
	for (;;) {
		size_t n;

		if (size == cap) {
			uint8_t *grown;

			cap = cap ? cap * 2 : 4096;
			grown = realloc(data, cap);
			if (!grown)
				goto cleanup;
			data = grown;
		}
		n = fread(data + size, 1, cap - size, fp);
		size += n;
		if (n == 0)
			break;
	}
	if (ferror(fp))
		goto cleanup;
	/* Exact size, so that reading one byte past the input is caught. */
	*out = malloc(size ? size : 1);
	if (!*out)
		goto cleanup;
	if (size)
		memcpy(*out, data, size);
	*out_size = size;
	rc = 0;
cleanup:
	free(data);
	if (fp)
		fclose(fp);
	return rc;
}

static int replay_file(const char *path)
{
	uint8_t *data;
	size_t size;

	if (read_file(path, &data, &size) < 0) {
		fprintf(stderr, "%s: %s: %s\n", program, path,
			strerror(errno));
		return -1;
	}
	LLVMFuzzerTestOneInput(data, size);
	free(data);
	n_replayed++;
	return 0;
}

static int replay_dir(const char *dir)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);
	int rc = 0;

	if (n < 0) {
		fprintf(stderr, "%s: %s: %s\n", program, dir, strerror(errno));
		return -1;
	}
	for (int i = 0; i < n; i++) {
		size_t len = strlen(dir) + strlen(names[i]->d_name) + 2;
		char *path = malloc(len);
		struct stat st;

		if (!path) {
			rc = -1;
		} else {
			snprintf(path, len, "%s/%s", dir, names[i]->d_name);
			if (stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
			    replay_file(path) < 0)
				rc = -1;
		}
		free(path);
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	int rc = 0;

	program = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	for (int i = 1; i < argc; i++) {
		struct stat st;

		if (stat(argv[i], &st) < 0) {
			fprintf(stderr, "%s: %s: %s\n", program, argv[i],
				strerror(errno));
			rc = 1;
		} else if (S_ISDIR(st.st_mode)) {
			if (replay_dir(argv[i]) < 0)
				rc = 1;
		} else if (replay_file(argv[i]) < 0) {
			rc = 1;
		}
	}
	printf("%s: %lu inputs replayed\n", program, n_replayed);
	return rc;
}
