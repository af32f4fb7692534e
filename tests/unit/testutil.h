/* Helpers the native unit tests share: temporary folders, whole files, paths. */
#ifndef SP_TESTUTIL_H
#define SP_TESTUTIL_H

#include <stddef.h>

/* Creates a fresh folder under $TMPDIR (or /tmp) with mkdtemp; heap path, NULL on failure. */
char *testutil_make_temp_dir(void);

/* Removes path and everything below it, without following links; 0 on success. */
int testutil_remove_tree(const char *path);

/* Reads a whole file into a heap buffer with a NUL after the data (size excludes it);
 * NULL when it cannot be read. size may be NULL. */
unsigned char *testutil_read_file(const char *path, size_t *size);

/* Writes data to path, replacing it; 0 on success. */
int testutil_write_file(const char *path, const void *data, size_t size);

/* Returns "a/b" as a heap string (aborts when out of memory: tests have no plan B). */
char *testutil_join(const char *a, const char *b);

/* True when path exists (file or folder). */
int testutil_exists(const char *path);

#endif
