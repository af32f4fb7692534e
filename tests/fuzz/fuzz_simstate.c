/* libFuzzer harness: any bytes as a root's saved sim state are refused cleanly or load; what loads, saves and loads again. */
#define _XOPEN_SOURCE 700 /* nftw */
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/base/sha256.h"
#include "core/sys/posix/posix.h"
#include "core/sys/sim/sim.h"

/* A small machine with every part the state holds. "@SHA@" in an input stands for this profile's
 * SHA-256, so that the fuzzer gets past the check that the state belongs to it. */
static const char profile[] =
    "{\"os\": {\"major\": 5, \"minor\": 2, \"computer\": \"SBS01\", \"domain\": \"contoso.local\"},"
    " \"registry\": {\"HKLM\\\\SOFTWARE\\\\A\": {\"V\": {\"dword\": 1}}},"
    " \"registry32\": {\"HKLM\\\\SOFTWARE\\\\B\": {\"W\": {\"sz\": \"x\"}}},"
    " \"services\": {\"W32Time\": {}, \"Spooler\": {\"state\": \"stopped\"}},"
    " \"ldap\": {\"entries\": {\"\": {\"defaultNamingContext\": \"DC=c\"}, \"DC=c\": {\"objectClass\": \"domain\"}}},"
    " \"updates\": [{\"title\": \"U1\", \"kb\": \"KB1\", \"reboot\": true}, {\"title\": \"U2\"}]}";

static sp_sys *host;
static char dir[64], root[96], state_file[128];
static char sha[65];

static int remove_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(path);
}

static void remove_tree(const char *path)
{
    nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void cleanup(void)
{
    remove_tree(dir);
    sp_sys_close(host);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    unsigned char digest[32];
    sp_sha256 h;
    (void)argc, (void)argv;
    snprintf(dir, sizeof dir, "/tmp/spfuzz.XXXXXX");
    if (!mkdtemp(dir) || !(host = sp_posix_open()))
        abort();
    snprintf(root, sizeof root, "%s/root", dir);
    snprintf(state_file, sizeof state_file, "%s/.sim-state.json", root);
    sp_sha256_init(&h);
    sp_sha256_update(&h, profile, sizeof profile - 1);
    sp_sha256_final(&h, digest);
    sp_sha256_hex(digest, sha);
    atexit(cleanup);
    return 0;
}

/* The input with each "@SHA@" replaced by the profile's SHA-256 (heap). */
static char *with_sha(const uint8_t *data, size_t size, size_t *out_len)
{
    char *out = malloc(size * 13 + 1);
    size_t n = 0;
    if (!out)
        abort();
    for (size_t i = 0; i < size;) {
        if (i + 5 <= size && memcmp(data + i, "@SHA@", 5) == 0) {
            memcpy(out + n, sha, 64);
            n += 64;
            i += 5;
        } else {
            out[n++] = (char)data[i++];
        }
    }
    *out_len = n;
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[600];
    int problem = -1;
    size_t len = 0;
    char *text = with_sha(data, size, &len);
    sp_sys *sim = NULL;
    sp_status st;
    mkdir(root, 0700);
    if (host->ops->file_write_atomic(host, state_file, text, len) != SP_OK)
        abort();
    memset(err, 'x', sizeof err);
    st = sp_sim_open_ex(profile, sizeof profile - 1, host, root, &sim, err, sizeof err, &problem);
    if (strnlen(err, sizeof err) >= sizeof err)
        abort(); /* the message is always terminated */
    if (st != SP_OK) {
        unsigned char *kept = NULL;
        size_t kept_len = 0;
        /* Refused: no machine, the message names the file, and the file is left as it was. */
        if (sim || problem != 1 || !strstr(err, ".sim-state.json") ||
            host->ops->file_read(host, state_file, &kept, &kept_len) != SP_OK || kept_len != len ||
            (len && memcmp(kept, text, len) != 0))
            abort();
        free(kept);
    } else {
        sp_regval v = {0};
        sp_svcinfo si;
        /* A change saves the loaded state, and that loads again. */
        if (problem != 0 || sp_regval_set_dword(&v, 2) != SP_OK ||
            sim->ops->reg_set(sim, SP_REG_VIEW_64, "HKLM\\SOFTWARE\\A", "V", &v) != SP_OK)
            abort();
        sp_regval_free(&v);
        sim->ops->svc_query(sim, "W32Time", &si);
        sp_sys_close(sim);
        sim = NULL;
        if (sp_sim_open_ex(profile, sizeof profile - 1, host, root, &sim, err, sizeof err, &problem) != SP_OK)
            abort();
        sp_sys_close(sim);
    }
    free(text);
    remove_tree(root);
    return 0;
}
