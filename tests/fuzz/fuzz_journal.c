/* libFuzzer harness: any bytes found as journal.json are refused (and left untouched) or loaded,
 * and undo against the simulated server then handles every entry without crashing or leaking:
 * each entry it looks at gets exactly one outcome, and what it writes back loads again. */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/journal.h"
#include "core/sys/posix/posix.h"
#include "core/sys/sim/sim.h"

#define DIR "C:\\ProgramData\\SourcePrep"

/* The server the journals' entries point at: the files, value and attributes the seeds name. */
static const char profile[] =
    "{\"os\": {\"major\": 5, \"minor\": 2, \"build\": 3790, \"product_type\": 2},"
    " \"registry\": {\"HKLM\\\\SOFTWARE\\\\Microsoft\\\\Rpc\\\\RpcProxy\": {"
    "   \"ValidPorts\": {\"sz\": \"SBS01:6001-6002\"}, \"Enabled\": {\"dword\": 1}}},"
    " \"files\": {\"C:\\\\data\\\\GptTmpl.inf\": \"[Unicode]\\r\\nUnicode=yes\\r\\n\","
    "   \"C:\\\\data\\\\GPT.INI\": \"[General]\\r\\nVersion=65539\\r\\n\","
    "   \"C:\\\\ProgramData\\\\SourcePrep\\\\backups\\\\0001.bak\": \"[Unicode]\\r\\n\","
    "   \"C:\\\\ProgramData\\\\SourcePrep\\\\backups\\\\0002.bak\": \"[General]\\r\\nVersion=65538\\r\\n\"},"
    " \"ldap\": {\"entries\": {\"\": {\"defaultNamingContext\": \"DC=contoso,DC=local\"},"
    "   \"CN=Ann,DC=contoso,DC=local\": {\"scriptPath\": \"x.bat\"},"
    "   \"CN=GPO,DC=contoso,DC=local\": {\"versionNumber\": \"65539\"}},"
    "  \"servers\": {\"dc2:389\": {\"entries\": {\"CN=Ann,DC=contoso,DC=local\": {\"scriptPath\": \"y.bat\"}}},"
    "   \"dc3\": {\"unreachable\": true}}}}";

/* libFuzzer gives the harness no context: the host backend and the folder live here. */
static sp_sys *host;
static char dir[64], root[96];

static int remove_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    remove(path);
    return 0;
}

static void remove_root(void)
{
    nftw(root, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void cleanup(void)
{
    remove_root();
    rmdir(dir);
    sp_sys_close(host);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    snprintf(dir, sizeof dir, "/tmp/spfuzzj.XXXXXX");
    if (!mkdtemp(dir) || !(host = sp_posix_open()))
        abort();
    snprintf(root, sizeof root, "%s/root", dir);
    atexit(cleanup);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[256];
    sp_sys *sim = NULL;
    sp_journal *j = NULL, *again = NULL;
    unsigned char *kept = NULL;
    size_t kept_size = 0, n, undone = 0;
    sp_undo_report r;
    unsigned force[2] = {1, 3};
    sp_change c;

    /* Every input starts from a fresh server, so that a crash reproduces from its input alone. */
    if (sp_sim_open(profile, sizeof profile - 1, host, root, &sim, err, sizeof err) != SP_OK ||
        sim->ops->dir_create(sim, DIR) != SP_OK ||
        sim->ops->file_write_atomic(sim, DIR "\\journal.json", data, size) != SP_OK)
        abort();
    if (sp_journal_open(sim, DIR, &j) != SP_OK) {
        /* Refused: and left as it was, undo information is never thrown away. */
        if (j || sim->ops->file_read(sim, DIR "\\journal.json", &kept, &kept_size) != SP_OK ||
            kept_size != size || (size && memcmp(kept, data, size) != 0))
            abort();
        goto done;
    }
    n = sp_journal_count(j);
    for (size_t i = 0; i < n; i++)
        if (sp_journal_get(j, i, &c) == SP_OK &&
            (strnlen(c.step, sizeof c.step) >= sizeof c.step || strnlen(c.target, sizeof c.target) >= sizeof c.target))
            abort();
    (void)sp_journal_last_change(j);
    /* Entries 1 and 3 forced, as /undo:force=1 /undo:force=3 would. */
    (void)sp_journal_undo_ex(j, NULL, 0, force, 2, &r);
    if (r.restored + r.dropped + r.changed + r.failed != r.count || r.count > n ||
        sp_journal_count(j) != n - r.dropped || strnlen(sim->last_error, sizeof sim->last_error) >= sizeof sim->last_error)
        abort();
    for (size_t i = 0; i < r.count; i++)
        if (r.items[i].outcome > SP_UNDO_FAILED || strnlen(r.items[i].why, sizeof r.items[i].why) >= sizeof r.items[i].why)
            abort();
    sp_undo_report_free(&r);
    /* What undo saved loads again, and a second undo over it runs as well. */
    if (sp_journal_open(sim, DIR, &again) != SP_OK)
        abort();
    (void)sp_journal_undo(again, "policy", &undone);
    sp_journal_close(again);
done:
    free(kept);
    sp_journal_close(j);
    sp_sys_close(sim);
    remove_root();
    return 0;
}
