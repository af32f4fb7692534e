/* Helpers the native unit tests share: temporary folders, whole files, paths, simulated servers. */
#ifndef SP_TESTUTIL_H
#define SP_TESTUTIL_H

#include <stddef.h>

#include <cjson/cJSON.h>

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

/* ---- Worlds: a simulated server in a fresh folder, with a session on it ----------------------
 * Each open fails the running test, saying why, when the world cannot be opened. */
typedef struct {
    char *root;
    sp_sys *host, *sim;
    sp_session session; /* all zero when opened without one */
} testutil_world;

/* The server of the profile text json, without a session (for the backend's own tests). */
void testutil_world_open_sim(testutil_world *w, const char *json);
/* The server of the profile text json, with a session. */
void testutil_world_open_json(testutil_world *w, const char *json);
/* The server of a profile given as a tree, with a session. */
void testutil_world_open_profile(testutil_world *w, const cJSON *profile);
/* The server of the profile file at path (e.g. "tests/profiles/sbs2003.json"), with a session. */
void testutil_world_open(testutil_world *w, const char *path);
/* The same, with the profile changed by edit before it is opened. */
void testutil_world_open_edited(testutil_world *w, const char *path, void (*edit)(cJSON *profile));
/* The built-in demo server (resources/demo-sbs2003.json) with a session, without the pauses
 * that pace it for people (disk, event log, updates, services). */
void testutil_world_open_demo(testutil_world *w);
/* The same demo profile as JSON text (heap), for a test that opens it on a root of its own. */
char *testutil_demo_profile_text(void);
/* Takes those pauses out of a profile tree. */
void testutil_unpace(cJSON *profile);
/* The server of the profile file at profile_path with the merge patch file at patch_path and
 * then patch (may be NULL) on top: a base made healthy, then one cause added. */
void testutil_world_open_patched(testutil_world *w, const char *profile_path,
                                 const char *patch_path, const cJSON *patch);
/* RFC 7386 merge patch of target: objects merge, null removes, anything else replaces. */
void testutil_merge_patch(cJSON *target, const cJSON *patch);
/* Closes the session (if any) and the sim, and removes the folder. */
void testutil_world_close(testutil_world *w);
/* Runs the step with that id (its check, or its apply) on the world's session, failing the test
 * when it did not run, and gives its result; its findings are added to f (may be NULL). */
sp_result testutil_world_run(testutil_world *w, const char *step, int apply, sp_findings *f);

/* The first finding with that code, or NULL. */
const sp_finding *testutil_find(const sp_findings *f, const char *code);

/* The JSON file at path as a tree (the caller deletes it); fails the test when it cannot be read. */
cJSON *testutil_read_json(const char *path);

/* What sp_sim_open answers to the profile text json (a sim it opens is closed at once), with its
 * message in err: for the tests of malformed profiles. */
sp_status testutil_sim_open_status(const char *json, char *err, size_t errlen);

/* The first value of attr of the entry dn on the LDAP server host (NULL: this DC), heap; NULL
 * when it has none. Fails the test when the entry cannot be read. */
char *testutil_ldap_value(sp_sys *sys, const char *host, const char *dn, const char *attr);

/* A stand-in for the string table (an sp_text_fn): "T<id>" for every ID, heap. */
char *testutil_text_ids(void *user, unsigned id, const char *arg);
/* The string table as the wizard shows it in one language (an sp_text_fn): user is the
 * language ("de-DE", "en-US"); the text of id in resources/lang/<user>.rc (its name from
 * core/msgids.h) with %1 replaced by arg, heap. Fails the test when the file lacks it. */
char *testutil_text_rc(void *user, unsigned id, const char *arg);

#endif
