/* The POSIX backend: files, folders and time on the native host; the Windows-only parts say so. */
#include "core/sys/posix/posix.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

static sp_status posix_status_of(int err)
{
    switch (err) {
    case ENOENT:
    case ENOTDIR: /* a file where a folder should be: Windows says "path not found" */
        return SP_ERR_NOTFOUND;
    case EACCES:
    case EPERM:
        return SP_ERR_ACCESS;
    case EEXIST:
        return SP_ERR_EXISTS;
    case ENOMEM:
        return SP_ERR_NOMEM;
    default:
        return SP_ERR_IO;
    }
}

/* Fails with the status errno maps to; errno is read first so nothing can clobber it. */
static sp_status posix_fail(sp_sys *sys, const char *what, const char *path)
{
    int err = errno;
    return sp_sys_fail(sys, posix_status_of(err), "%s %s: %s", what, path, strerror(err));
}

static char *posix_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

/* The folder part of path ("." when there is none), as a heap string. */
static char *posix_dirname(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return posix_strdup(".");
    size_t n = slash == path ? 1 : (size_t)(slash - path);
    char *d = malloc(n + 1);
    if (!d)
        return NULL;
    memcpy(d, path, n);
    d[n] = '\0';
    return d;
}

static int posix_write_all(int fd, const unsigned char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Makes a rename durable: the new directory entry is only on disk once the folder is synced. */
static sp_status posix_sync_dir(sp_sys *sys, const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd < 0)
        return posix_fail(sys, "cannot open folder", dir);
    int rc = fsync(fd);
    /* Some file systems cannot sync a directory; the data itself is already synced. */
    if (rc != 0 && errno != EINVAL && errno != ENOTSUP) {
        sp_status st = posix_fail(sys, "cannot sync folder", dir);
        close(fd);
        return st;
    }
    close(fd);
    return SP_OK;
}

/* An open temporary file next to its target, so that the final rename never crosses devices. */
typedef struct {
    char *dir;
    char *tmp;
    int fd;
} posix_tempfile;

static sp_status posix_temp_open(sp_sys *sys, const char *target, posix_tempfile *t)
{
    t->fd = -1;
    t->tmp = NULL;
    t->dir = posix_dirname(target);
    if (!t->dir)
        return sp_sys_fail(sys, SP_ERR_NOMEM, "out of memory");
    const char *slash = strrchr(target, '/');
    const char *base = slash ? slash + 1 : target;
    size_t n = strlen(t->dir) + strlen(base) + 16;
    t->tmp = malloc(n);
    if (!t->tmp)
        return sp_sys_fail(sys, SP_ERR_NOMEM, "out of memory");
    memcpy(t->tmp, t->dir, strlen(t->dir) + 1);
    strcat(t->tmp, "/.");
    strcat(t->tmp, base);
    strcat(t->tmp, ".spXXXXXX");
    t->fd = mkstemp(t->tmp);
    if (t->fd < 0)
        return posix_fail(sys, "cannot create a temporary file for", target);
    /* mkstemp makes 0600; keep the mode of the file being replaced, else a usual 0644. */
    struct stat old;
    mode_t mode = stat(target, &old) == 0 ? (old.st_mode & 07777) : 0644;
    (void)fchmod(t->fd, mode);
    return SP_OK;
}

/* Syncs the temporary file and renames it over target; on failure nothing is left behind. */
static sp_status posix_temp_commit(sp_sys *sys, const char *target, posix_tempfile *t)
{
    sp_status st = SP_OK;
    if (fsync(t->fd) != 0)
        st = posix_fail(sys, "cannot sync", target);
    if (close(t->fd) != 0 && st == SP_OK)
        st = posix_fail(sys, "cannot close", target);
    t->fd = -1;
    if (st == SP_OK && rename(t->tmp, target) != 0)
        st = posix_fail(sys, "cannot replace", target);
    if (st != SP_OK) {
        unlink(t->tmp);
        return st;
    }
    return posix_sync_dir(sys, t->dir);
}

static void posix_temp_free(posix_tempfile *t)
{
    if (t->fd >= 0) {
        close(t->fd);
        unlink(t->tmp);
    }
    free(t->tmp);
    free(t->dir);
}

static sp_status posix_file_read(sp_sys *sys, const char *path, unsigned char **data,
                                 size_t *size)
{
    if (!path || !data || !size)
        return sp_sys_fail(sys, SP_ERR_INVALID, "file_read: missing argument");
    *data = NULL;
    *size = 0;
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return posix_fail(sys, "cannot open", path);
    struct stat sb;
    size_t cap = (fstat(fd, &sb) == 0 && sb.st_size > 0) ? (size_t)sb.st_size + 1 : 4096;
    size_t len = 0;
    unsigned char *buf = malloc(cap);
    if (!buf) {
        close(fd);
        return sp_sys_fail(sys, SP_ERR_NOMEM, "out of memory reading %s", path);
    }
    /* Read to the end rather than trusting st_size: the file may change while we read. */
    for (;;) {
        if (len + 1 >= cap) {
            unsigned char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                close(fd);
                return sp_sys_fail(sys, SP_ERR_NOMEM, "out of memory reading %s", path);
            }
            buf = nb;
            cap *= 2;
        }
        ssize_t r = read(fd, buf + len, cap - len - 1);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            sp_status st = posix_fail(sys, "cannot read", path);
            free(buf);
            close(fd);
            return st;
        }
        if (r == 0)
            break;
        len += (size_t)r;
    }
    close(fd);
    buf[len] = '\0';
    *data = buf;
    *size = len;
    return SP_OK;
}

static sp_status posix_file_append(sp_sys *sys, const char *path, const void *data, size_t size)
{
    const unsigned char *p = data;
    int fd;
    if (!path || (!data && size))
        return sp_sys_fail(sys, SP_ERR_INVALID, "file_append: missing argument");
    fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0)
        return posix_fail(sys, "cannot open to append", path);
    while (size > 0) {
        ssize_t n = write(fd, p, size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            sp_status st = posix_fail(sys, "cannot append to", path);
            close(fd);
            return st;
        }
        p += n;
        size -= (size_t)n;
    }
    if (close(fd) != 0)
        return posix_fail(sys, "cannot close", path);
    return SP_OK;
}

static sp_status posix_file_write_atomic(sp_sys *sys, const char *path, const void *data,
                                         size_t size)
{
    if (!path || (!data && size > 0))
        return sp_sys_fail(sys, SP_ERR_INVALID, "file_write_atomic: missing argument");
    posix_tempfile t;
    sp_status st = posix_temp_open(sys, path, &t);
    if (st == SP_OK && posix_write_all(t.fd, data, size) != 0)
        st = posix_fail(sys, "cannot write", path);
    if (st == SP_OK)
        st = posix_temp_commit(sys, path, &t);
    posix_temp_free(&t);
    return st;
}

/* The cross-device half of a move: copy into a temporary file next to the target, then rename. */
static sp_status posix_copy_across(sp_sys *sys, const char *from, const char *to)
{
    int in = open(from, O_RDONLY);
    if (in < 0)
        return posix_fail(sys, "cannot open", from);
    struct stat sb;
    if (fstat(in, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        close(in);
        return sp_sys_fail(sys, SP_ERR_UNSUPPORTED,
                           "cannot move %s to %s: only files move across file systems", from, to);
    }
    posix_tempfile t;
    sp_status st = posix_temp_open(sys, to, &t);
    unsigned char buf[65536];
    while (st == SP_OK) {
        ssize_t r = read(in, buf, sizeof buf);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            st = posix_fail(sys, "cannot read", from);
        else if (r == 0)
            break;
        else if (posix_write_all(t.fd, buf, (size_t)r) != 0)
            st = posix_fail(sys, "cannot write", to);
    }
    close(in);
    if (st == SP_OK) {
        /* A move keeps the modification time, as it does on Windows. */
        struct timespec times[2] = {sb.st_atim, sb.st_mtim};
        (void)futimens(t.fd, times);
        (void)fchmod(t.fd, sb.st_mode & 07777);
        st = posix_temp_commit(sys, to, &t);
    }
    posix_temp_free(&t);
    return st;
}

static sp_status posix_file_move(sp_sys *sys, const char *from, const char *to)
{
    if (!from || !to)
        return sp_sys_fail(sys, SP_ERR_INVALID, "file_move: missing argument");
    struct stat target;
    /* As on Windows (MoveFileEx without REPLACE_EXISTING): a move never replaces a file. */
    if (lstat(to, &target) == 0)
        return sp_sys_fail(sys, SP_ERR_EXISTS, "cannot move %s: %s already exists", from, to);
    if (rename(from, to) == 0) {
        char *dir = posix_dirname(to);
        if (!dir)
            return sp_sys_fail(sys, SP_ERR_NOMEM, "out of memory");
        sp_status st = posix_sync_dir(sys, dir);
        free(dir);
        return st;
    }
    if (errno != EXDEV)
        return posix_fail(sys, "cannot move", from);
    sp_status st = posix_copy_across(sys, from, to);
    if (st != SP_OK)
        return st;
    if (unlink(from) != 0)
        return posix_fail(sys, "copied but cannot remove", from);
    char *dir = posix_dirname(from);
    if (!dir)
        return sp_sys_fail(sys, SP_ERR_NOMEM, "out of memory");
    st = posix_sync_dir(sys, dir);
    free(dir);
    return st;
}

static sp_status posix_file_delete(sp_sys *sys, const char *path)
{
    if (!path)
        return sp_sys_fail(sys, SP_ERR_INVALID, "file_delete: missing argument");
    struct stat sb;
    if (lstat(path, &sb) != 0)
        return posix_fail(sys, "cannot delete", path);
    if (S_ISDIR(sb.st_mode) ? rmdir(path) != 0 : unlink(path) != 0)
        return posix_fail(sys, "cannot delete", path);
    return SP_OK;
}

static sp_status posix_file_stat(sp_sys *sys, const char *path, sp_filestat *out)
{
    if (!path || !out)
        return sp_sys_fail(sys, SP_ERR_INVALID, "file_stat: missing argument");
    memset(out, 0, sizeof *out);
    struct stat sb;
    if (stat(path, &sb) != 0) {
        /* Absence is an answer, not an error: callers ask "does it exist?". */
        if (errno == ENOENT || errno == ENOTDIR) {
            sp_sys_fail(sys, SP_ERR_NOTFOUND, "%s: %s", path, strerror(errno));
            return SP_OK;
        }
        return posix_fail(sys, "cannot stat", path);
    }
    out->exists = 1;
    out->is_dir = S_ISDIR(sb.st_mode) ? 1 : 0;
    out->size = out->is_dir ? 0 : (uint64_t)sb.st_size;
    out->mtime = (int64_t)sb.st_mtime;
    return SP_OK;
}

static sp_status posix_mkdir_one(sp_sys *sys, const char *path)
{
    if (mkdir(path, 0755) == 0)
        return SP_OK;
    if (errno == EEXIST) {
        struct stat sb;
        if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
            return SP_OK;
        return sp_sys_fail(sys, SP_ERR_EXISTS, "cannot create folder %s: a file has that name",
                           path);
    }
    return posix_fail(sys, "cannot create folder", path);
}

static sp_status posix_dir_create(sp_sys *sys, const char *path)
{
    if (!path || !*path)
        return sp_sys_fail(sys, SP_ERR_INVALID, "dir_create: missing path");
    struct stat sb;
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
        return SP_OK;
    char *p = posix_strdup(path);
    if (!p)
        return sp_sys_fail(sys, SP_ERR_NOMEM, "out of memory");
    sp_status st = SP_OK;
    /* Create each parent in turn; a component that already exists as a folder is fine. */
    for (char *s = p + 1; *s && st == SP_OK; s++) {
        if (*s != '/' || s[-1] == '/')
            continue;
        *s = '\0';
        st = posix_mkdir_one(sys, p);
        *s = '/';
    }
    if (st == SP_OK)
        st = posix_mkdir_one(sys, p);
    free(p);
    return st;
}

static sp_status posix_dir_enum(sp_sys *sys, const char *path, sp_dir_cb cb, void *user)
{
    if (!path || !cb)
        return sp_sys_fail(sys, SP_ERR_INVALID, "dir_enum: missing argument");
    DIR *d = opendir(path);
    if (!d)
        return posix_fail(sys, "cannot list", path);
    int dfd = dirfd(d);
    for (;;) {
        errno = 0;
        struct dirent *e = readdir(d);
        if (!e) {
            if (errno != 0) {
                sp_status st = posix_fail(sys, "cannot list", path);
                closedir(d);
                return st;
            }
            break;
        }
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        int is_dir = e->d_type == DT_DIR;
        if (e->d_type == DT_UNKNOWN || e->d_type == DT_LNK) {
            /* The file system did not say, or it is a link: ask about what it points to. */
            struct stat sb;
            is_dir = fstatat(dfd, e->d_name, &sb, 0) == 0 && S_ISDIR(sb.st_mode);
        }
        if (cb(user, e->d_name, is_dir))
            break;
    }
    closedir(d);
    return SP_OK;
}

static int64_t posix_time_now(sp_sys *sys)
{
    (void)sys;
    return (int64_t)time(NULL);
}

static int posix_is_admin(sp_sys *sys)
{
    (void)sys;
    return geteuid() == 0;
}

static sp_status posix_folder(sp_sys *sys, sp_folder which, char *out, size_t outlen)
{
    if (!out || outlen == 0)
        return sp_sys_fail(sys, SP_ERR_INVALID, "folder: missing buffer");
    if (which != SP_FOLDER_TEMP)
        return sp_sys_fail(sys, SP_ERR_UNSUPPORTED, "posix backend: only the temp folder is known");
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp)
        tmp = "/tmp";
    size_t n = strlen(tmp);
    if (n >= outlen)
        return sp_sys_fail(sys, SP_ERR_INVALID, "folder: buffer too small for %s", tmp);
    memcpy(out, tmp, n + 1);
    return SP_OK;
}

static sp_status posix_os_info(sp_sys *sys, sp_osinfo *out)
{
    (void)out;
    return sp_sys_fail(sys, SP_ERR_UNSUPPORTED, "posix backend: no Windows version information");
}

static sp_status posix_reg_get(sp_sys *sys, sp_reg_view view, const char *key, const char *value,
                               sp_regval *out)
{
    (void)view, (void)key, (void)value, (void)out;
    return sp_sys_fail(sys, SP_ERR_UNSUPPORTED, "posix backend: no registry");
}

static sp_status posix_reg_set(sp_sys *sys, sp_reg_view view, const char *key, const char *value,
                               const sp_regval *val)
{
    (void)view, (void)key, (void)value, (void)val;
    return sp_sys_fail(sys, SP_ERR_UNSUPPORTED, "posix backend: no registry");
}

static sp_status posix_reg_delete_value(sp_sys *sys, sp_reg_view view, const char *key,
                                        const char *value)
{
    (void)view, (void)key, (void)value;
    return sp_sys_fail(sys, SP_ERR_UNSUPPORTED, "posix backend: no registry");
}

static sp_status posix_reg_enum(sp_sys *sys, sp_reg_view view, const char *key, sp_name_cb cb,
                                void *user)
{
    (void)view, (void)key, (void)cb, (void)user;
    return sp_sys_fail(sys, SP_ERR_UNSUPPORTED, "posix backend: no registry");
}

static sp_status posix_proc_run(sp_sys *sys, const char *const *argv, unsigned timeout_ms,
                                char **output, size_t *output_len, int *exit_code)
{
    (void)argv, (void)timeout_ms, (void)output, (void)output_len, (void)exit_code;
    return sp_sys_fail(sys, SP_ERR_UNSUPPORTED, "posix backend: no Windows processes");
}

static sp_status posix_svc_query(sp_sys *sys, const char *name, sp_svcinfo *out)
{
    (void)name, (void)out;
    return sp_sys_fail(sys, SP_ERR_UNSUPPORTED, "posix backend: no services");
}

static sp_status posix_svc_control(sp_sys *sys, const char *name, unsigned timeout_ms)
{
    (void)name, (void)timeout_ms;
    return sp_sys_fail(sys, SP_ERR_UNSUPPORTED, "posix backend: no services");
}

static sp_status posix_udp_exchange(sp_sys *sys, const char *host, unsigned port,
                                    const void *req, size_t reqlen, unsigned timeout_ms,
                                    unsigned char *reply, size_t replycap, size_t *replylen,
                                    int64_t *sent_us, int64_t *received_us)
{
    (void)host, (void)port, (void)req, (void)reqlen, (void)timeout_ms, (void)reply,
        (void)replycap, (void)sent_us, (void)received_us;
    if (replylen)
        *replylen = 0;
    return sp_sys_fail(sys, SP_ERR_UNSUPPORTED,
                       "posix backend: no network exchange (use the sim's \"ntp\" peers)");
}

static sp_status posix_time_zone(sp_sys *sys, sp_timezone *out)
{
    (void)out;
    return sp_sys_fail(sys, SP_ERR_UNSUPPORTED, "posix backend: no Windows time zone");
}

static sp_status posix_ldap_connect(sp_sys *sys, const sp_ldap_target *target, sp_ldap_conn **out)
{
    (void)target;
    *out = NULL;
    return sp_sys_fail(sys, SP_ERR_UNSUPPORTED,
                       "posix backend: no LDAP client; use the win32 backend or a profile's \"ldap\"");
}

static sp_status posix_ldap_search(sp_sys *sys, sp_ldap_conn *conn, const char *base, int subtree,
                                   const char *filter, const char *const *attrs,
                                   sp_ldap_entry_cb cb, void *user)
{
    (void)conn, (void)base, (void)subtree, (void)filter, (void)attrs, (void)cb, (void)user;
    return sp_sys_fail(sys, SP_ERR_UNSUPPORTED, "posix backend: no LDAP client");
}

static sp_status posix_ldap_replace(sp_sys *sys, sp_ldap_conn *conn, const char *dn,
                                    const char *attr, const char *value)
{
    (void)conn, (void)dn, (void)attr, (void)value;
    return sp_sys_fail(sys, SP_ERR_UNSUPPORTED, "posix backend: no LDAP client");
}

static void posix_ldap_close(sp_sys *sys, sp_ldap_conn *conn)
{
    (void)sys, (void)conn;
}

static sp_status posix_sid_lookup(sp_sys *sys, const char *sid, char *out, size_t outlen)
{
    (void)sid;
    if (out && outlen)
        out[0] = '\0';
    return sp_sys_fail(sys, SP_ERR_UNSUPPORTED, "posix backend: no Windows accounts to look SIDs up in");
}

/* The posix backend is host files for native tests; HTTP lives in the win32 backend (its libcurl
 * code is tested natively on its own, see tests/env/https-suite.sh). */
static sp_status posix_http_get(sp_sys *sys, const sp_http_request *req, sp_http_response *out)
{
    (void)req, (void)out;
    return sp_sys_fail(sys, SP_ERR_UNSUPPORTED,
                       "posix backend: no HTTP; run on Windows or use a profile with \"http\"");
}

/* No SQL Server runs here: the LOB step says its databases were not read and why. */
static sp_status posix_sql_files(sp_sys *sys, const char *instance, sp_sql_file_cb cb, void *user)
{
    (void)cb, (void)user;
    return sp_sys_fail(sys, SP_ERR_UNSUPPORTED,
                       "posix backend: no ODBC to SQL Server instance %s; run on Windows", instance);
}

/* The posix backend has no network of its own (see posix_http_get). */
static sp_status posix_dns_resolve(sp_sys *sys, const char *host, char (*addrs)[64], size_t cap,
                                   size_t *count)
{
    (void)host, (void)addrs, (void)cap;
    *count = 0;
    return sp_sys_fail(sys, SP_ERR_UNSUPPORTED,
                       "posix backend: no DNS; run on Windows or use a profile with \"http\".\"dns\"");
}

static sp_status posix_wua_search(sp_sys *sys, sp_wua_source source, const char *criteria,
                                  sp_update_cb cb, void *user, volatile long *cancel, uint32_t *hresult)
{
    (void)source, (void)criteria, (void)cb, (void)user, (void)cancel;
    if (hresult)
        *hresult = 0;
    return sp_sys_fail(sys, SP_ERR_UNSUPPORTED, "posix backend: no Windows Update Agent");
}

static sp_status posix_wua_install(sp_sys *sys, sp_wua_source source, const char *const *ids,
                                   size_t count, sp_update_progress_cb progress,
                                   sp_update_result_cb result, void *user, volatile long *cancel,
                                   uint32_t *hresult)
{
    (void)source, (void)ids, (void)count, (void)progress, (void)result, (void)user, (void)cancel;
    if (hresult)
        *hresult = 0;
    return sp_sys_fail(sys, SP_ERR_UNSUPPORTED, "posix backend: no Windows Update Agent");
}

static sp_status posix_restart(sp_sys *sys, const char *reason)
{
    (void)reason;
    return sp_sys_fail(sys, SP_ERR_UNSUPPORTED, "posix backend: will not restart this machine");
}

static sp_status posix_program_path(sp_sys *sys, char *out, size_t outlen)
{
    if (out && outlen)
        out[0] = '\0';
    return sp_sys_fail(sys, SP_ERR_UNSUPPORTED, "posix backend: no Windows program to restart");
}

static void posix_close(sp_sys *sys)
{
    free(sys->impl);
    free(sys);
}

static sp_status posix_svc_enum(sp_sys *sys, sp_svc_cb cb, void *user)
{
    (void)cb;
    (void)user;
    return sp_sys_fail(sys, SP_ERR_UNSUPPORTED, "posix backend: no Windows services to list");
}

static sp_status posix_proc_run_lines(sp_sys *sys, const char *const *argv, unsigned timeout_ms,
                                      sp_line_cb cb, void *user, volatile long *cancel,
                                      int *exit_code)
{
    (void)argv, (void)timeout_ms, (void)cb, (void)user, (void)cancel;
    if (exit_code)
        *exit_code = -1;
    return sp_sys_fail(sys, SP_ERR_UNSUPPORTED, "posix backend: no Windows processes");
}

/* pread in a loop: a short read before the end (a signal) must not look like the end. */
static sp_status posix_file_read_at(sp_sys *sys, const char *path, uint64_t offset, void *buf,
                                    size_t len, size_t *got)
{
    if (!path || (!buf && len) || !got)
        return sp_sys_fail(sys, SP_ERR_INVALID, "file_read_at: missing argument");
    *got = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return posix_fail(sys, "cannot open", path);
    while (*got < len) {
        ssize_t n = pread(fd, (char *)buf + *got, len - *got, (off_t)(offset + *got));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            sp_status st = posix_fail(sys, "cannot read", path);
            close(fd);
            return st;
        }
        if (n == 0)
            break;
        *got += (size_t)n;
    }
    close(fd);
    return SP_OK;
}

static sp_status posix_file_set_mtime(sp_sys *sys, const char *path, int64_t mtime)
{
    struct timespec ts[2];
    if (!path)
        return sp_sys_fail(sys, SP_ERR_INVALID, "file_set_mtime: missing path");
    ts[0].tv_sec = ts[1].tv_sec = (time_t)mtime;
    ts[0].tv_nsec = ts[1].tv_nsec = 0;
    if (utimensat(AT_FDCWD, path, ts, 0) != 0)
        return posix_fail(sys, "cannot set the time of", path);
    return SP_OK;
}

static sp_status posix_event_query(sp_sys *sys, const char *log, int64_t since, sp_event_cb cb,
                                   void *user)
{
    (void)since;
    (void)cb;
    (void)user;
    return sp_sys_fail(sys, SP_ERR_UNSUPPORTED, "posix backend: no Windows event log (%s)",
                       log ? log : "");
}

static sp_status posix_disk_space(sp_sys *sys, const char *path, uint64_t *free_bytes,
                                  uint64_t *total_bytes)
{
    (void)free_bytes;
    (void)total_bytes;
    return sp_sys_fail(sys, SP_ERR_UNSUPPORTED, "posix backend: no Windows volume %s",
                       path ? path : "");
}

/* Issue 18: the data folder's owner and permissions in Windows terms. root is SYSTEM, another
 * uid is Samba's Unix-user SID S-1-22-1-<uid> (a group S-1-22-2-<gid>); others are Everyone.
 * A symbolic link is a reparse point. */
static sp_status posix_path_security(sp_sys *sys, const char *path, sp_pathsec *out)
{
    struct stat sb;
    uid_t me = geteuid();
    memset(out, 0, sizeof *out);
    if (!path)
        return sp_sys_fail(sys, SP_ERR_INVALID, "path_security: missing path");
    if (me == 0)
        snprintf(out->self, sizeof out->self, "S-1-5-18");
    else
        snprintf(out->self, sizeof out->self, "S-1-22-1-%lu", (unsigned long)me);
    if (lstat(path, &sb) != 0) {
        if (errno == ENOENT || errno == ENOTDIR)
            return SP_OK;
        return posix_fail(sys, "cannot look at", path);
    }
    out->exists = 1;
    out->is_dir = S_ISDIR(sb.st_mode);
    out->reparse = S_ISLNK(sb.st_mode);
    out->has_dacl = 1;
    if (sb.st_uid == 0)
        snprintf(out->owner, sizeof out->owner, "S-1-5-18");
    else
        snprintf(out->owner, sizeof out->owner, "S-1-22-1-%lu", (unsigned long)sb.st_uid);
    sp_ace *a = &out->aces[out->ace_count++];
    a->allow = 1;
    a->mask = 0x001f01ffu; /* the owner: full control */
    snprintf(a->sid, sizeof a->sid, "%s", out->owner);
    if (sb.st_mode & S_IWGRP) {
        a = &out->aces[out->ace_count++];
        a->allow = 1;
        a->mask = 0x00000116u; /* write data, append, write attributes and extended ones */
        snprintf(a->sid, sizeof a->sid, "S-1-22-2-%lu", (unsigned long)sb.st_gid);
    }
    if (sb.st_mode & S_IWOTH) {
        a = &out->aces[out->ace_count++];
        a->allow = 1;
        a->mask = 0x00000116u;
        snprintf(a->sid, sizeof a->sid, "S-1-1-0");
    }
    return SP_OK;
}

static sp_status posix_dir_create_private(sp_sys *sys, const char *path)
{
    if (!path || !*path)
        return sp_sys_fail(sys, SP_ERR_INVALID, "dir_create_private: missing path");
    if (mkdir(path, 0700) != 0)
        return posix_fail(sys, "cannot create folder", path);
    return SP_OK;
}

#ifdef SP_FAULT_INJECTION
/* The fault hook's state: sys->impl of a test build's backend. */
typedef struct {
    sp_fault fault;
} posix_state;

static sp_fault *posix_fault(const sp_sys *sys)
{
    return &((posix_state *)sys->impl)->fault;
}

void sp_posix_fault_set(sp_sys *posix, unsigned at, sp_fault_mode mode)
{
    sp_fault_set(posix_fault(posix), at, mode);
}

unsigned sp_posix_fault_writes(const sp_sys *posix)
{
    return posix_fault(posix)->writes;
}

int sp_posix_fault_killed(const sp_sys *posix)
{
    return posix_fault(posix)->dead;
}

/* Each write op, counted by the hook: refused before it is made, or the "kill" after it. */
#define POSIX_COUNTED(st, sys, what, call)                                          \
    do {                                                                            \
        if (((st) = sp_fault_enter(posix_fault(sys), (sys), (what))) == SP_OK &&    \
            ((st) = (call)) == SP_OK)                                               \
            sp_fault_leave(posix_fault(sys));                                       \
    } while (0)

static sp_status posix_file_write_atomic_counted(sp_sys *sys, const char *path, const void *data, size_t size)
{
    sp_status st;
    POSIX_COUNTED(st, sys, "file_write_atomic", posix_file_write_atomic(sys, path, data, size));
    return st;
}

static sp_status posix_file_move_counted(sp_sys *sys, const char *from, const char *to)
{
    sp_status st;
    POSIX_COUNTED(st, sys, "file_move", posix_file_move(sys, from, to));
    return st;
}

static sp_status posix_file_delete_counted(sp_sys *sys, const char *path)
{
    sp_status st;
    POSIX_COUNTED(st, sys, "file_delete", posix_file_delete(sys, path));
    return st;
}

static sp_status posix_dir_create_counted(sp_sys *sys, const char *path)
{
    sp_status st;
    POSIX_COUNTED(st, sys, "dir_create", posix_dir_create(sys, path));
    return st;
}
#define POSIX_WRITE(fn) fn##_counted
#else
#define POSIX_WRITE(fn) fn
#endif

static const sp_sys_ops posix_ops = {
    .name = "posix",
    .os_info = posix_os_info,
    .is_admin = posix_is_admin,
    .time_now = posix_time_now,
    .folder = posix_folder,
    .reg_get = posix_reg_get,
    .reg_set = posix_reg_set,
    .reg_delete_value = posix_reg_delete_value,
    .reg_enum_keys = posix_reg_enum,
    .reg_enum_values = posix_reg_enum,
    .file_read = posix_file_read,
    .file_write_atomic = POSIX_WRITE(posix_file_write_atomic),
    .file_append = posix_file_append,
    .file_move = POSIX_WRITE(posix_file_move),
    .file_delete = POSIX_WRITE(posix_file_delete),
    .file_stat = posix_file_stat,
    .dir_create = POSIX_WRITE(posix_dir_create),
    .dir_enum = posix_dir_enum,
    .proc_run = posix_proc_run,
    .svc_query = posix_svc_query,
    .svc_start = posix_svc_control,
    .svc_stop = posix_svc_control,
    .close = posix_close,
    .udp_exchange = posix_udp_exchange,
    .time_zone = posix_time_zone,
    .svc_enum = posix_svc_enum,
    .ldap_connect = posix_ldap_connect,
    .ldap_search = posix_ldap_search,
    .ldap_replace = posix_ldap_replace,
    .ldap_close = posix_ldap_close,
    .sid_lookup = posix_sid_lookup,
    .http_get = posix_http_get,
    .proc_run_lines = posix_proc_run_lines,
    .file_read_at = posix_file_read_at,
    .file_set_mtime = posix_file_set_mtime,
    .wua_search = posix_wua_search,
    .wua_install = posix_wua_install,
    .restart = posix_restart,
    .program_path = posix_program_path,
    .event_query = posix_event_query,
    .disk_space = posix_disk_space,
    .path_security = posix_path_security,
    .dir_create_private = posix_dir_create_private,
    .dns_resolve = posix_dns_resolve,
    .sql_files = posix_sql_files,
};

sp_sys *sp_posix_open(void)
{
    sp_sys *sys = calloc(1, sizeof *sys);
    if (!sys)
        return NULL;
    sys->ops = &posix_ops;
#ifdef SP_FAULT_INJECTION
    if (!(sys->impl = calloc(1, sizeof(posix_state)))) {
        free(sys);
        return NULL;
    }
#endif
    return sys;
}
