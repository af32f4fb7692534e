/* Helpers the native unit tests share: temporary folders, whole files, paths. */
#include "tests/unit/testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/sys/posix/posix.h"
#include "core/sys/sim/sim.h"

char *testutil_make_temp_dir(void)
{
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp)
        tmp = "/tmp";
    char *path = testutil_join(tmp, "sptest.XXXXXX");
    if (!mkdtemp(path)) {
        free(path);
        return NULL;
    }
    return path;
}

int testutil_remove_tree(const char *path)
{
    struct stat sb;
    if (lstat(path, &sb) != 0)
        return -1;
    if (!S_ISDIR(sb.st_mode))
        return unlink(path);
    DIR *d = opendir(path);
    if (!d)
        return -1;
    int rc = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char *child = testutil_join(path, e->d_name);
        if (testutil_remove_tree(child) != 0)
            rc = -1;
        free(child);
    }
    closedir(d);
    if (rmdir(path) != 0)
        rc = -1;
    return rc;
}

unsigned char *testutil_read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, len = 0;
    unsigned char *buf = malloc(cap);
    while (buf) {
        len += fread(buf + len, 1, cap - len - 1, f);
        if (len + 1 < cap)
            break;
        unsigned char *nb = realloc(buf, cap * 2);
        if (!nb) {
            free(buf);
            buf = NULL;
        }
        buf = nb;
        cap *= 2;
    }
    int failed = ferror(f);
    fclose(f);
    if (!buf || failed) {
        free(buf);
        return NULL;
    }
    buf[len] = '\0';
    if (size)
        *size = len;
    return buf;
}

int testutil_write_file(const char *path, const void *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t w = fwrite(data, 1, size, f);
    int rc = fclose(f);
    return (w == size && rc == 0) ? 0 : -1;
}

char *testutil_join(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    char *p = malloc(na + nb + 2);
    if (!p)
        abort();
    memcpy(p, a, na);
    p[na] = '/';
    memcpy(p + na + 1, b, nb + 1);
    return p;
}

int testutil_exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

int testutil_world_open(testutil_world *w, const char *profile_path, char *err, size_t errlen)
{
    size_t n;
    unsigned char *json = testutil_read_file(profile_path, &n);
    memset(w, 0, sizeof *w);
    if (!json) {
        snprintf(err, errlen, "%s: cannot read it", profile_path);
        return -1;
    }
    w->root = testutil_make_temp_dir();
    w->host = sp_posix_open();
    sp_status st = sp_sim_open((const char *)json, n, w->host, w->root, &w->sim, err, errlen);
    free(json);
    if (st != SP_OK)
        return -1;
    if (sp_session_open(&w->session, w->sim) != SP_OK) {
        snprintf(err, errlen, "%s: the session did not open (%s)", profile_path, w->sim->last_error);
        return -1;
    }
    return 0;
}

void testutil_world_close(testutil_world *w)
{
    sp_session_close(&w->session);
    sp_sys_close(w->sim);
    sp_sys_close(w->host);
    testutil_remove_tree(w->root);
    free(w->root);
}
