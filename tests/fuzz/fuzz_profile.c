/* libFuzzer harness: any bytes given to sp_sim_open are refused cleanly or make a machine. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/datadir.h"
#include "core/sys/posix/posix.h"
#include "core/sys/sim/sim.h"

/* libFuzzer calls the harness once per input with no context pointer, so the host backend
 * and the folder it writes to live here for the whole process. */
static sp_sys *fuzz_host;
static char fuzz_dir[64];
static char fuzz_root[96];

static void fuzz_remove_tree(const char *path)
{
    struct stat sb;
    if (lstat(path, &sb) != 0)
        return;
    if (S_ISDIR(sb.st_mode)) {
        DIR *d = opendir(path);
        struct dirent *e;
        while (d && (e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char child[4096];
            if (snprintf(child, sizeof child, "%s/%s", path, e->d_name) < (int)sizeof child)
                fuzz_remove_tree(child);
        }
        if (d)
            closedir(d);
        rmdir(path);
    } else {
        unlink(path);
    }
}

static void fuzz_cleanup(void)
{
    fuzz_remove_tree(fuzz_dir);
    sp_sys_close(fuzz_host);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    snprintf(fuzz_dir, sizeof fuzz_dir, "/tmp/spfuzz.XXXXXX");
    if (!mkdtemp(fuzz_dir))
        abort();
    snprintf(fuzz_root, sizeof fuzz_root, "%s/root", fuzz_dir);
    fuzz_host = sp_posix_open();
    if (!fuzz_host)
        abort();
    atexit(fuzz_cleanup);
    return 0;
}

static int fuzz_count_name(void *user, const char *name)
{
    (void)name;
    ++*(size_t *)user;
    return 0;
}

static void fuzz_exercise(sp_sys *s)
{
    sp_osinfo os;
    if (s->ops->os_info(s, &os) != SP_OK || strlen(os.csd) >= sizeof os.csd ||
        strlen(os.domain) >= sizeof os.domain)
        abort();
    sp_regval v = {0};
    if (s->ops->reg_get(s, SP_REG_VIEW_DEFAULT, "HKLM\\SOFTWARE\\Microsoft\\Exchange\\Setup",
                        "Services", &v) == SP_OK &&
        v.size > 0 && !v.data)
        abort();
    sp_regval_free(&v);
    size_t n = 0;
    s->ops->reg_enum_keys(s, SP_REG_VIEW_32, "HKLM", fuzz_count_name, &n);
    sp_svcinfo si;
    s->ops->svc_query(s, "W32Time", &si);
    /* The profile's "security" on the data folder: whatever it says, the verdict is one of ours. */
    sp_pathsec sec;
    if (s->ops->path_security(s, "C:\\Documents and Settings\\All Users\\Application Data\\SourcePrep",
                              &sec) == SP_OK &&
        (sec.ace_count > SP_PATHSEC_MAX_ACES || strlen(sec.owner) >= sizeof sec.owner ||
         sp_datadir_judge(&sec, NULL, 0) > SP_DATADIR_UNKNOWN))
        abort();
    const char *argv[] = {"w32tm", "/query", "/status", NULL};
    char *out = NULL;
    size_t len = 0;
    int code = 0;
    if (s->ops->proc_run(s, argv, 1000, &out, &len, &code) == SP_OK && strlen(out) != len)
        abort();
    free(out);
    char temp[512];
    sp_filestat fs;
    if (s->ops->folder(s, SP_FOLDER_TEMP, temp, sizeof temp) == SP_OK &&
        (s->ops->file_stat(s, temp, &fs) != SP_OK || !fs.is_dir))
        abort(); /* the profile's folders exist once the sim is open */
    if (strlen(s->last_error) >= sizeof s->last_error)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[256];
    memset(err, 'x', sizeof err);
    sp_sys *sim = NULL;
    sp_status st = sp_sim_open((const char *)data, size, fuzz_host, fuzz_root, &sim, err,
                               sizeof err);
    if (strnlen(err, sizeof err) >= sizeof err)
        abort(); /* the message must always be terminated */
    if (st == SP_OK) {
        fuzz_exercise(sim);
        sp_sys_close(sim);
    } else if (sim || !err[0]) {
        abort(); /* a refusal leaves no machine and says why */
    }
    /* Every input starts from an empty disk, so that a crash reproduces from its input alone. */
    fuzz_remove_tree(fuzz_root);
    return 0;
}
