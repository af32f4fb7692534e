/* Helpers the native unit tests share: temporary folders, whole files, paths, simulated servers. */
#include "tests/unit/testutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

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

/* Opens the sim of json (len bytes) into w, and a session on it when asked; what names the
 * profile in a failure. */
static void world_open(testutil_world *w, const char *json, size_t len, int session,
                       const char *what)
{
    char err[300] = "";
    memset(w, 0, sizeof *w);
    w->root = testutil_make_temp_dir();
    w->host = sp_posix_open();
    if (!w->root || !w->host)
        fail_msg("%s: no folder or host for the sim", what);
    sp_status st = sp_sim_open(json, len, w->host, w->root, &w->sim, err, sizeof err);
    if (st != SP_OK)
        fail_msg("%s: %s", what, err);
    if (session && sp_session_open(&w->session, w->sim) != SP_OK)
        fail_msg("%s: the session did not open (%s)", what, w->sim->last_error);
}

void testutil_world_open_sim(testutil_world *w, const char *json)
{
    world_open(w, json, strlen(json), 0, "profile");
}

void testutil_world_open_json(testutil_world *w, const char *json)
{
    world_open(w, json, strlen(json), 1, "profile");
}

void testutil_world_open_profile(testutil_world *w, const cJSON *profile)
{
    char *json = cJSON_PrintUnformatted(profile);
    assert_non_null(json);
    testutil_world_open_json(w, json);
    free(json);
}

void testutil_world_open(testutil_world *w, const char *path)
{
    size_t n;
    unsigned char *json = testutil_read_file(path, &n);
    if (!json)
        fail_msg("%s: cannot read it", path);
    world_open(w, (const char *)json, n, 1, path);
    free(json);
}

void testutil_world_open_edited(testutil_world *w, const char *path, void (*edit)(cJSON *profile))
{
    cJSON *profile = testutil_read_json(path);
    if (edit)
        edit(profile);
    testutil_world_open_profile(w, profile);
    cJSON_Delete(profile);
}

void testutil_unpace(cJSON *profile)
{
    cJSON *svc;
    cJSON_DeleteItemFromObject(profile, "io_delay_ms");
    cJSON_DeleteItemFromObject(profile, "event_read_ms");
    cJSON_DeleteItemFromObject(cJSON_GetObjectItem(profile, "wua"), "install_ms");
    cJSON_ArrayForEach(svc, cJSON_GetObjectItem(profile, "services")) {
        cJSON_DeleteItemFromObject(svc, "stop_ms");
        cJSON_DeleteItemFromObject(svc, "start_ms");
    }
}

void testutil_world_open_demo(testutil_world *w)
{
    testutil_world_open_edited(w, "resources/demo-sbs2003.json", testutil_unpace);
}

char *testutil_demo_profile_text(void)
{
    cJSON *profile = testutil_read_json("resources/demo-sbs2003.json");
    char *json;
    testutil_unpace(profile);
    json = cJSON_PrintUnformatted(profile);
    cJSON_Delete(profile);
    if (!json)
        fail_msg("out of memory printing the demo profile");
    return json;
}

void testutil_world_close(testutil_world *w)
{
    sp_session_close(&w->session);
    sp_sys_close(w->sim);
    sp_sys_close(w->host);
    testutil_remove_tree(w->root);
    free(w->root);
}

sp_result testutil_world_run(testutil_world *w, const char *step, int apply, sp_findings *f)
{
    sp_result r = SP_RESULT_NOT_RUN;
    sp_run_ctx ctx = sp_session_ctx(&w->session, NULL);
    assert_int_equal(sp_step_run(sp_step_find(step), &ctx, apply, f, &r), SP_OK);
    return r;
}

const sp_finding *testutil_find(const sp_findings *f, const char *code)
{
    for (size_t i = 0; i < f->count; i++)
        if (strcmp(f->items[i].code, code) == 0)
            return &f->items[i];
    return NULL;
}

cJSON *testutil_read_json(const char *path)
{
    size_t n;
    unsigned char *text = testutil_read_file(path, &n);
    cJSON *j;
    if (!text)
        fail_msg("%s: cannot read it", path);
    j = cJSON_ParseWithLength((const char *)text, n);
    free(text);
    if (!j)
        fail_msg("%s is not JSON", path);
    return j;
}

sp_status testutil_sim_open_status(const char *json, char *err, size_t errlen)
{
    sp_sys *host = sp_posix_open(), *sim = NULL;
    char *root = testutil_make_temp_dir();
    sp_status st = sp_sim_open(json, strlen(json), host, root, &sim, err, errlen);
    sp_sys_close(sim);
    sp_sys_close(host);
    testutil_remove_tree(root);
    free(root);
    return st;
}

char *testutil_text_ids(void *user, unsigned id, const char *arg)
{
    char *s = malloc(32);
    (void)user;
    (void)arg;
    if (!s)
        abort();
    snprintf(s, 32, "T%u", id);
    return s;
}

/* The line of text (up to its newline) that starts with key then a space or tab, after indent. */
static const char *line_of(const char *text, const char *key)
{
    size_t n = strlen(key);
    for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
        const char *p = l + strspn(l, " \t");
        if (strncmp(p, key, n) == 0 && (p[n] == ' ' || p[n] == '\t'))
            return p + n;
    }
    return NULL;
}

char *testutil_text_rc(void *user, unsigned id, const char *arg)
{
    char path[64], name[80] = "", num[16], *ids, *rc, *out, *o;
    const char *l, *q;
    size_t size;
    snprintf(path, sizeof path, "resources/lang/%s.rc", (const char *)user);
    ids = (char *)testutil_read_file("core/msgids.h", &size);
    rc = (char *)testutil_read_file(path, &size);
    if (!ids || !rc)
        fail_msg("cannot read core/msgids.h or %s", path);
    for (l = ids; l && *l && !name[0]; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
        unsigned v;
        char n[80];
        if (sscanf(l, "#define %79s %u", n, &v) == 2 && v == id)
            snprintf(name, sizeof name, "%s", n);
    }
    snprintf(num, sizeof num, "%u", id);
    l = name[0] ? line_of(rc, name) : NULL;
    if (!l)
        l = line_of(rc, num);
    if (!l || !(q = strchr(l, '"')))
        fail_msg("string %u (%s) is not in %s", id, name, path);
    out = o = malloc(size + (arg ? strlen(arg) * 9 : 0) + 1);
    if (!out)
        abort();
    /* From after the opening quote to the closing one: "" is a quote, %1 the argument. */
    for (q++; *q && *q != '\n' && !(q[0] == '"' && q[1] != '"'); q++) {
        if (q[0] == '"')
            *o++ = *q++;
        else if (q[0] == '%' && q[1] == '1') {
            o += sprintf(o, "%s", arg ? arg : "");
            q++;
        } else
            *o++ = *q;
    }
    *o = '\0';
    free(ids);
    free(rc);
    return out;
}

void testutil_merge_patch(cJSON *target, const cJSON *patch)
{
    const cJSON *p;
    cJSON_ArrayForEach(p, patch)
    {
        cJSON *t = cJSON_GetObjectItemCaseSensitive(target, p->string);
        if (cJSON_IsNull(p)) {
            cJSON_DeleteItemFromObjectCaseSensitive(target, p->string);
        } else if (cJSON_IsObject(p) && cJSON_IsObject(t)) {
            testutil_merge_patch(t, p);
        } else {
            cJSON_DeleteItemFromObjectCaseSensitive(target, p->string);
            cJSON_AddItemToObject(target, p->string, cJSON_Duplicate(p, 1));
        }
    }
}

void testutil_world_open_patched(testutil_world *w, const char *profile_path,
                                 const char *patch_path, const cJSON *patch)
{
    cJSON *profile = testutil_read_json(profile_path), *first = testutil_read_json(patch_path);
    testutil_merge_patch(profile, first);
    if (patch)
        testutil_merge_patch(profile, patch);
    testutil_world_open_profile(w, profile);
    cJSON_Delete(profile);
    cJSON_Delete(first);
}

typedef struct {
    const char *attr;
    char *value;
} ldap_get;

static int take_ldap_value(void *user, const char *dn, const sp_ldap_attr *attrs, size_t n)
{
    ldap_get *g = user;
    (void)dn;
    for (size_t i = 0; i < n; i++)
        if (strcmp(attrs[i].name, g->attr) == 0 && attrs[i].count && !g->value)
            g->value = strdup(attrs[i].values[0]);
    return 1;
}

char *testutil_ldap_value(sp_sys *sys, const char *host, const char *dn, const char *attr)
{
    sp_ldap_target t = {host, 0, NULL, NULL};
    sp_ldap_conn *c = NULL;
    const char *attrs[2] = {attr, NULL};
    ldap_get g = {attr, NULL};
    assert_int_equal(sys->ops->ldap_connect(sys, &t, &c), SP_OK);
    assert_int_equal(sys->ops->ldap_search(sys, c, dn, 0, "(objectClass=*)", attrs, take_ldap_value, &g), SP_OK);
    sys->ops->ldap_close(sys, c);
    return g.value;
}
