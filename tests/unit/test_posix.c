/* Tests of the POSIX backend: real files in a temporary folder, errno mapped to statuses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/sys/posix/posix.h"
#include "tests/unit/testutil.h"

typedef struct {
    sp_sys *sys;
    char *dir;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    f->sys = sp_posix_open();
    f->dir = testutil_make_temp_dir();
    *state = f;
    return f->sys && f->dir ? 0 : -1;
}

static int teardown(void **state)
{
    fixture *f = *state;
    if (f->dir)
        testutil_remove_tree(f->dir);
    free(f->dir);
    sp_sys_close(f->sys);
    free(f);
    return 0;
}

/* A path inside the fixture's folder; freed by the caller. */
static char *in_dir(fixture *f, const char *name)
{
    return testutil_join(f->dir, name);
}

typedef struct {
    char names[16][64];
    int is_dir[16];
    int count;
    int stop_after;
} listing;

static int collect_entry(void *user, const char *name, int is_dir)
{
    listing *l = user;
    if (l->count < 16) {
        snprintf(l->names[l->count], sizeof l->names[0], "%s", name);
        l->is_dir[l->count] = is_dir;
    }
    l->count++;
    return l->stop_after && l->count >= l->stop_after;
}

static int listing_has(const listing *l, const char *name, int is_dir)
{
    for (int i = 0; i < l->count && i < 16; i++) {
        if (strcmp(l->names[i], name) == 0 && l->is_dir[i] == is_dir)
            return 1;
    }
    return 0;
}

static void posix_should_read_whole_file_with_a_nul_after_the_data(void **state)
{
    fixture *f = *state;
    char *path = in_dir(f, "a.txt");
    assert_int_equal(testutil_write_file(path, "hello\0world", 11), 0);
    unsigned char *data = NULL;
    size_t size = 0;
    assert_int_equal(f->sys->ops->file_read(f->sys, path, &data, &size), SP_OK);
    assert_int_equal(size, 11);
    assert_memory_equal(data, "hello\0world", 11);
    assert_int_equal(data[11], '\0');
    free(data);
    free(path);
}

static void posix_should_read_an_empty_file_as_a_non_null_buffer(void **state)
{
    fixture *f = *state;
    char *path = in_dir(f, "empty");
    assert_int_equal(testutil_write_file(path, "", 0), 0);
    unsigned char *data = NULL;
    size_t size = 99;
    assert_int_equal(f->sys->ops->file_read(f->sys, path, &data, &size), SP_OK);
    assert_non_null(data);
    assert_int_equal(size, 0);
    free(data);
    free(path);
}

static void posix_should_return_notfound_naming_the_path_for_a_missing_file(void **state)
{
    fixture *f = *state;
    char *path = in_dir(f, "missing.txt");
    unsigned char *data = NULL;
    size_t size = 0;
    assert_int_equal(f->sys->ops->file_read(f->sys, path, &data, &size), SP_ERR_NOTFOUND);
    assert_null(data);
    assert_non_null(strstr(f->sys->last_error, path));
    assert_non_null(strstr(f->sys->last_error, "No such file"));
    free(path);
}

static void posix_should_replace_content_atomically_and_leave_no_temp_file(void **state)
{
    fixture *f = *state;
    char *path = in_dir(f, "state.json");
    assert_int_equal(testutil_write_file(path, "old content that is longer", 26), 0);
    assert_int_equal(f->sys->ops->file_write_atomic(f->sys, path, "new", 3), SP_OK);
    size_t size = 0;
    unsigned char *data = testutil_read_file(path, &size);
    assert_non_null(data);
    assert_int_equal(size, 3);
    assert_memory_equal(data, "new", 3);
    free(data);
    listing l = {0};
    assert_int_equal(f->sys->ops->dir_enum(f->sys, f->dir, collect_entry, &l), SP_OK);
    assert_int_equal(l.count, 1);
    assert_string_equal(l.names[0], "state.json");
    free(path);
}

static void posix_should_keep_the_mode_of_a_replaced_file(void **state)
{
    fixture *f = *state;
    char *path = in_dir(f, "script.sh");
    assert_int_equal(testutil_write_file(path, "x", 1), 0);
    assert_int_equal(chmod(path, 0751), 0);
    assert_int_equal(f->sys->ops->file_write_atomic(f->sys, path, "y", 1), SP_OK);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0751);
    free(path);
}

static void posix_should_fail_with_notfound_when_writing_into_a_missing_folder(void **state)
{
    fixture *f = *state;
    char *path = in_dir(f, "no/such/folder/file.txt");
    assert_int_equal(f->sys->ops->file_write_atomic(f->sys, path, "x", 1), SP_ERR_NOTFOUND);
    assert_non_null(strstr(f->sys->last_error, path));
    free(path);
}

static void posix_should_move_a_file_but_never_replace_the_destination(void **state)
{
    fixture *f = *state;
    char *from = in_dir(f, "from.txt"), *to = in_dir(f, "to.txt"), *other = in_dir(f, "other.txt");
    assert_int_equal(testutil_write_file(from, "moved", 5), 0);
    assert_int_equal(testutil_write_file(to, "kept", 4), 0);
    assert_int_equal(f->sys->ops->file_move(f->sys, from, to), SP_ERR_EXISTS);
    unsigned char *data = testutil_read_file(to, NULL);
    assert_string_equal((char *)data, "kept");
    free(data);
    assert_int_equal(f->sys->ops->file_move(f->sys, from, other), SP_OK);
    assert_false(testutil_exists(from));
    data = testutil_read_file(other, NULL);
    assert_string_equal((char *)data, "moved");
    free(data);
    free(from);
    free(to);
    free(other);
}

static void posix_should_move_a_file_across_file_systems_by_copying(void **state)
{
    fixture *f = *state;
    struct stat a, b;
    if (stat("/dev/shm", &b) != 0 || stat(f->dir, &a) != 0 || a.st_dev == b.st_dev)
        skip();
    char shm_template[] = "/dev/shm/sptest.XXXXXX";
    char *shm = mkdtemp(shm_template);
    if (!shm)
        skip();
    char *from = testutil_join(shm, "big.bin"), *to = in_dir(f, "big.bin");
    size_t n = 200000; /* more than one copy buffer */
    unsigned char *content = malloc(n);
    assert_non_null(content);
    for (size_t i = 0; i < n; i++)
        content[i] = (unsigned char)(i * 7);
    assert_int_equal(testutil_write_file(from, content, n), 0);
    struct stat before;
    assert_int_equal(stat(from, &before), 0);
    sp_status st = f->sys->ops->file_move(f->sys, from, to);
    int source_gone = !testutil_exists(from);
    size_t size = 0;
    unsigned char *data = testutil_read_file(to, &size);
    struct stat after;
    int stat_rc = stat(to, &after);
    testutil_remove_tree(shm);
    assert_int_equal(st, SP_OK);
    assert_true(source_gone);
    assert_int_equal(size, n);
    assert_memory_equal(data, content, n);
    assert_int_equal(stat_rc, 0);
    assert_int_equal(after.st_mtime, before.st_mtime);
    free(data);
    free(content);
    free(from);
    free(to);
}

static void posix_should_delete_files_and_empty_folders_but_not_full_ones(void **state)
{
    fixture *f = *state;
    char *file = in_dir(f, "f.txt"), *dir = in_dir(f, "d"), *full = in_dir(f, "full");
    char *inner = in_dir(f, "full/x");
    assert_int_equal(testutil_write_file(file, "x", 1), 0);
    assert_int_equal(mkdir(dir, 0755), 0);
    assert_int_equal(mkdir(full, 0755), 0);
    assert_int_equal(testutil_write_file(inner, "x", 1), 0);
    assert_int_equal(f->sys->ops->file_delete(f->sys, file), SP_OK);
    assert_int_equal(f->sys->ops->file_delete(f->sys, dir), SP_OK);
    assert_false(testutil_exists(file));
    assert_false(testutil_exists(dir));
    assert_int_equal(f->sys->ops->file_delete(f->sys, full), SP_ERR_IO);
    assert_true(testutil_exists(inner));
    assert_int_equal(f->sys->ops->file_delete(f->sys, file), SP_ERR_NOTFOUND);
    free(file);
    free(dir);
    free(full);
    free(inner);
}

static void posix_should_stat_files_folders_and_missing_paths(void **state)
{
    fixture *f = *state;
    char *file = in_dir(f, "f.txt"), *missing = in_dir(f, "nope");
    assert_int_equal(testutil_write_file(file, "12345", 5), 0);
    sp_filestat fs;
    assert_int_equal(f->sys->ops->file_stat(f->sys, file, &fs), SP_OK);
    assert_true(fs.exists);
    assert_false(fs.is_dir);
    assert_int_equal(fs.size, 5);
    struct stat sb;
    assert_int_equal(stat(file, &sb), 0);
    assert_int_equal(fs.mtime, (int64_t)sb.st_mtime);
    assert_int_equal(f->sys->ops->file_stat(f->sys, f->dir, &fs), SP_OK);
    assert_true(fs.exists);
    assert_true(fs.is_dir);
    assert_int_equal(f->sys->ops->file_stat(f->sys, missing, &fs), SP_OK);
    assert_false(fs.exists);
    free(file);
    free(missing);
}

static void posix_should_create_folders_with_parents_and_accept_existing_ones(void **state)
{
    fixture *f = *state;
    char *deep = in_dir(f, "a/b//c/d");
    assert_int_equal(f->sys->ops->dir_create(f->sys, deep), SP_OK);
    assert_true(testutil_exists(deep));
    assert_int_equal(f->sys->ops->dir_create(f->sys, deep), SP_OK);
    free(deep);
}

static void posix_should_refuse_a_folder_where_a_file_has_the_name(void **state)
{
    fixture *f = *state;
    char *file = in_dir(f, "taken"), *below = in_dir(f, "taken/x");
    assert_int_equal(testutil_write_file(file, "x", 1), 0);
    assert_int_equal(f->sys->ops->dir_create(f->sys, file), SP_ERR_EXISTS);
    assert_non_null(strstr(f->sys->last_error, file));
    assert_int_equal(f->sys->ops->dir_create(f->sys, below), SP_ERR_EXISTS);
    free(file);
    free(below);
}

static void posix_should_enumerate_entries_without_dot_and_dotdot(void **state)
{
    fixture *f = *state;
    char *file = in_dir(f, "file.txt"), *dir = in_dir(f, "sub");
    assert_int_equal(testutil_write_file(file, "x", 1), 0);
    assert_int_equal(mkdir(dir, 0755), 0);
    listing l = {0};
    assert_int_equal(f->sys->ops->dir_enum(f->sys, f->dir, collect_entry, &l), SP_OK);
    assert_int_equal(l.count, 2);
    assert_true(listing_has(&l, "file.txt", 0));
    assert_true(listing_has(&l, "sub", 1));
    free(file);
    free(dir);
}

static void posix_should_stop_enumerating_when_the_callback_asks(void **state)
{
    fixture *f = *state;
    for (int i = 0; i < 5; i++) {
        char name[16];
        snprintf(name, sizeof name, "f%d", i);
        char *p = in_dir(f, name);
        assert_int_equal(testutil_write_file(p, "x", 1), 0);
        free(p);
    }
    listing l = {0};
    l.stop_after = 2;
    assert_int_equal(f->sys->ops->dir_enum(f->sys, f->dir, collect_entry, &l), SP_OK);
    assert_int_equal(l.count, 2);
}

static void posix_should_return_notfound_when_enumerating_a_missing_folder(void **state)
{
    fixture *f = *state;
    char *missing = in_dir(f, "nope");
    listing l = {0};
    assert_int_equal(f->sys->ops->dir_enum(f->sys, missing, collect_entry, &l), SP_ERR_NOTFOUND);
    assert_int_equal(l.count, 0);
    free(missing);
}

static void posix_should_say_registry_services_and_processes_are_unsupported(void **state)
{
    fixture *f = *state;
    sp_sys *s = f->sys;
    sp_regval v = {0};
    assert_int_equal(s->ops->reg_get(s, SP_REG_VIEW_DEFAULT, "HKLM\\SOFTWARE", "x", &v),
                     SP_ERR_UNSUPPORTED);
    assert_string_equal(s->last_error, "posix backend: no registry");
    sp_svcinfo si;
    assert_int_equal(s->ops->svc_query(s, "W32Time", &si), SP_ERR_UNSUPPORTED);
    assert_non_null(strstr(s->last_error, "no services"));
    const char *argv[] = {"w32tm", NULL};
    char *out = NULL;
    size_t len = 0;
    int code = 0;
    assert_int_equal(s->ops->proc_run(s, argv, 1000, &out, &len, &code), SP_ERR_UNSUPPORTED);
    sp_osinfo os;
    assert_int_equal(s->ops->os_info(s, &os), SP_ERR_UNSUPPORTED);
}

static void posix_should_use_tmpdir_for_the_temp_folder(void **state)
{
    fixture *f = *state;
    char *old = getenv("TMPDIR") ? strdup(getenv("TMPDIR")) : NULL;
    char buf[256];
    setenv("TMPDIR", "/var/tmp/sp", 1);
    sp_status st1 = f->sys->ops->folder(f->sys, SP_FOLDER_TEMP, buf, sizeof buf);
    char first[256];
    snprintf(first, sizeof first, "%s", buf);
    unsetenv("TMPDIR");
    sp_status st2 = f->sys->ops->folder(f->sys, SP_FOLDER_TEMP, buf, sizeof buf);
    if (old) {
        setenv("TMPDIR", old, 1);
        free(old);
    }
    assert_int_equal(st1, SP_OK);
    assert_string_equal(first, "/var/tmp/sp");
    assert_int_equal(st2, SP_OK);
    assert_string_equal(buf, "/tmp");
    assert_int_equal(f->sys->ops->folder(f->sys, SP_FOLDER_WINDOWS, buf, sizeof buf),
                     SP_ERR_UNSUPPORTED);
}

static void posix_should_map_permission_denied_to_access(void **state)
{
    fixture *f = *state;
    char *path = in_dir(f, "secret");
    assert_int_equal(testutil_write_file(path, "x", 1), 0);
    assert_int_equal(chmod(path, 0), 0);
    unsigned char *data = NULL;
    size_t size = 0;
    if (geteuid() != 0) {
        assert_int_equal(f->sys->ops->file_read(f->sys, path, &data, &size), SP_ERR_ACCESS);
        free(path);
        return;
    }
    /* Root reads everything: ask a child that has become "nobody". */
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (setgid(65534) != 0 || setuid(65534) != 0)
            _exit(2);
        sp_status st = f->sys->ops->file_read(f->sys, path, &data, &size);
        _exit(st == SP_ERR_ACCESS ? 0 : 1);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    free(path);
}

static void posix_should_report_admin_when_running_as_root(void **state)
{
    fixture *f = *state;
    assert_int_equal(f->sys->ops->is_admin(f->sys), geteuid() == 0);
    int64_t now = f->sys->ops->time_now(f->sys);
    assert_true(now > 1700000000);
    assert_string_equal(f->sys->ops->name, "posix");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
        T(posix_should_read_whole_file_with_a_nul_after_the_data),
        T(posix_should_read_an_empty_file_as_a_non_null_buffer),
        T(posix_should_return_notfound_naming_the_path_for_a_missing_file),
        T(posix_should_replace_content_atomically_and_leave_no_temp_file),
        T(posix_should_keep_the_mode_of_a_replaced_file),
        T(posix_should_fail_with_notfound_when_writing_into_a_missing_folder),
        T(posix_should_move_a_file_but_never_replace_the_destination),
        T(posix_should_move_a_file_across_file_systems_by_copying),
        T(posix_should_delete_files_and_empty_folders_but_not_full_ones),
        T(posix_should_stat_files_folders_and_missing_paths),
        T(posix_should_create_folders_with_parents_and_accept_existing_ones),
        T(posix_should_refuse_a_folder_where_a_file_has_the_name),
        T(posix_should_enumerate_entries_without_dot_and_dotdot),
        T(posix_should_stop_enumerating_when_the_callback_asks),
        T(posix_should_return_notfound_when_enumerating_a_missing_folder),
        T(posix_should_say_registry_services_and_processes_are_unsupported),
        T(posix_should_use_tmpdir_for_the_temp_folder),
        T(posix_should_map_permission_denied_to_access),
        T(posix_should_report_admin_when_running_as_root),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
