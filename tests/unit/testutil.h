/* Helpers the native unit tests share: temporary folders, whole files, paths. */
#ifndef SP_TESTUTIL_H
#define SP_TESTUTIL_H

#include <stddef.h>

#include "core/session.h"

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

/* A session on the simulated server of a profile file, its files in a fresh folder. */
typedef struct {
    char *root;
    sp_sys *host, *sim;
    sp_session session;
} testutil_world;

/* 0 on success; otherwise err says what failed (for the test's failure message). */
int testutil_world_open(testutil_world *w, const char *profile_path, char *err, size_t errlen);
/* Closes the session and the sim, and removes the folder. */
void testutil_world_close(testutil_world *w);

#endif
