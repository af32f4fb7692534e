/* The data folder's safety on the real win32 backend under Wine: private creation, owner and DACL read, unguessable temp files, ReplaceFileW (issue 18). */
#include "core/datadir.h"
#include "core/sys/sys.h"
#include "core/sys/win32/win32.h"
#include "tests/win32/wtest.h"

#include <windows.h>
#include <aclapi.h>
#include <sddl.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static sp_sys *the_sys;

static sp_sys *backend(void)
{
    if (!the_sys)
        the_sys = sp_win32_open();
    return the_sys;
}

/* A fresh folder under %TEMP% for this run; "" when none could be made. */
static const char *run_dir(void)
{
    static char dir[MAX_PATH * 3];
    if (!dir[0]) {
        char base[MAX_PATH * 3];
        if (backend()->ops->folder(backend(), SP_FOLDER_TEMP, base, sizeof base) != SP_OK)
            return "";
        snprintf(dir, sizeof dir, "%s\\sp-datadir-%lu-%lu", base, (unsigned long)GetCurrentProcessId(),
                 (unsigned long)GetTickCount());
        if (backend()->ops->dir_create(backend(), dir) != SP_OK)
            dir[0] = '\0';
    }
    return dir;
}

static wchar_t *wide(const char *s)
{
    int n = MultiByteToWideChar(CP_UTF8, 0, s, -1, NULL, 0);
    wchar_t *w = calloc((size_t)n + 1, sizeof *w);
    if (w)
        MultiByteToWideChar(CP_UTF8, 0, s, -1, w, n);
    return w;
}

/* Replaces path's DACL by the one in sddl (with SetNamedSecurityInfoW, as an administrator would). */
static DWORD set_dacl(const char *path, const wchar_t *sddl)
{
    PSECURITY_DESCRIPTOR sd = NULL;
    PACL dacl = NULL;
    BOOL present = FALSE, defaulted = FALSE;
    wchar_t *w = wide(path);
    DWORD err;
    if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl, SDDL_REVISION_1, &sd, NULL))
        return GetLastError();
    GetSecurityDescriptorDacl(sd, &present, &dacl, &defaulted);
    err = SetNamedSecurityInfoW(w, SE_FILE_OBJECT, DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION,
                                NULL, NULL, dacl, NULL);
    LocalFree(sd);
    free(w);
    return err;
}

WTEST(dir_create_private_should_make_a_folder_the_check_accepts)
{
    char dir[MAX_PATH * 3], who[96];
    sp_pathsec sec;
    snprintf(dir, sizeof dir, "%s\\private", run_dir());
    WCHECK_EQ_INT(backend()->ops->dir_create_private(backend(), dir), SP_OK);
    WCHECK_EQ_INT(backend()->ops->dir_create_private(backend(), dir), SP_ERR_EXISTS);
    WCHECK_EQ_INT(backend()->ops->path_security(backend(), dir, &sec), SP_OK);
    WCHECK(sec.exists && sec.is_dir && !sec.reparse && sec.has_dacl);
    WCHECK_MSG(strncmp(sec.owner, "S-1-", 4) == 0, "owner %s", sec.owner);
    WCHECK_MSG(strncmp(sec.self, "S-1-", 4) == 0, "self %s", sec.self);
    wtest_note("owner %s, self %s, %u ACEs", sec.owner, sec.self, (unsigned)sec.ace_count);
    for (size_t i = 0; i < sec.ace_count; i++)
        wtest_note("  %s %s mask 0x%lx flags 0x%x", sec.aces[i].allow ? "allow" : "deny", sec.aces[i].sid,
                   (unsigned long)sec.aces[i].mask, sec.aces[i].flags);
    WCHECK_EQ_INT(sp_datadir_judge(&sec, who, sizeof who), SP_DATADIR_SAFE);
}

WTEST(path_security_of_a_missing_path_should_say_it_does_not_exist)
{
    char path[MAX_PATH * 3];
    sp_pathsec sec;
    snprintf(path, sizeof path, "%s\\no-such-thing", run_dir());
    WCHECK_EQ_INT(backend()->ops->path_security(backend(), path, &sec), SP_OK);
    WCHECK(!sec.exists);
}

WTEST(a_folder_everyone_may_write_in_should_be_refused)
{
    char dir[MAX_PATH * 3], who[96];
    sp_pathsec sec;
    sp_datadir_problem p;
    snprintf(dir, sizeof dir, "%s\\everyone", run_dir());
    WCHECK_EQ_INT(backend()->ops->dir_create_private(backend(), dir), SP_OK);
    /* What ProgramData gives Users, with Everyone for Wine, which maps ACLs to Unix modes. */
    WCHECK_EQ_INT(set_dacl(dir, L"D:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;FA;;;WD)"), ERROR_SUCCESS);
    WCHECK_EQ_INT(backend()->ops->path_security(backend(), dir, &sec), SP_OK);
    WCHECK_EQ_INT(sp_datadir_judge(&sec, who, sizeof who), SP_DATADIR_WRITABLE);
    WCHECK_EQ_STR(who, "S-1-1-0");
    WCHECK_EQ_INT(sp_datadir_secure(backend(), dir, &p), SP_ERR_ACCESS);
    WCHECK_EQ_INT(p.verdict, SP_DATADIR_WRITABLE);
    WCHECK_EQ_STR(p.path, dir);
}

WTEST(a_journal_everyone_may_write_should_be_refused)
{
    char dir[MAX_PATH * 3], file[MAX_PATH * 3];
    sp_datadir_problem p;
    snprintf(dir, sizeof dir, "%s\\journal-open", run_dir());
    snprintf(file, sizeof file, "%s\\journal.json", dir);
    WCHECK_EQ_INT(sp_datadir_secure(backend(), dir, &p), SP_OK); /* made afresh: accepted */
    WCHECK_EQ_INT(backend()->ops->file_write_atomic(backend(), file, "[]", 2), SP_OK);
    WCHECK_EQ_INT(sp_datadir_secure(backend(), dir, &p), SP_OK);
    WCHECK_EQ_INT(set_dacl(file, L"D:P(A;;FA;;;SY)(A;;FA;;;BA)(A;;FA;;;WD)"), ERROR_SUCCESS);
    WCHECK_EQ_INT(sp_datadir_secure(backend(), dir, &p), SP_ERR_ACCESS);
    WCHECK_EQ_INT(p.verdict, SP_DATADIR_WRITABLE);
    WCHECK_EQ_STR(p.path, file);
}

/* The temporary name of today's code was "<file>.tmp-<pid>": planted first, it was opened with
 * CREATE_ALWAYS and became the file. Now the name is random and made with CREATE_NEW. */
WTEST(file_write_atomic_should_not_write_into_a_planted_temp_file)
{
    char dir[MAX_PATH * 3], file[MAX_PATH * 3], planted[MAX_PATH * 3];
    unsigned char *data = NULL;
    size_t size = 0;
    snprintf(dir, sizeof dir, "%s\\planted", run_dir());
    WCHECK_EQ_INT(backend()->ops->dir_create(backend(), dir), SP_OK);
    snprintf(file, sizeof file, "%s\\journal.json", dir);
    snprintf(planted, sizeof planted, "%s.tmp-%lu", file, (unsigned long)GetCurrentProcessId());
    WCHECK_EQ_INT(backend()->ops->file_write_atomic(backend(), planted, "attacker", 8), SP_OK);
    WCHECK_EQ_INT(backend()->ops->file_write_atomic(backend(), file, "[1]", 3), SP_OK);
    WCHECK_EQ_INT(backend()->ops->file_read(backend(), planted, &data, &size), SP_OK);
    WCHECK_EQ_INT(size, 8);
    WCHECK(memcmp(data, "attacker", 8) == 0);
    free(data);
    WCHECK_EQ_INT(backend()->ops->file_read(backend(), file, &data, &size), SP_OK);
    WCHECK_EQ_INT(size, 3);
    free(data);
}

/* ReplaceFileW (an existing file keeps its ACL, streams and attributes) is not checked here:
 * Wine 8's ReplaceFileW is a rename that keeps none of them (measured: a hidden file came back
 * 0x20, archive only), and Wine keeps no ACL or stream of its own to compare. */

WTEST_MAIN()
