/* The win32 backend's file security: who owns a file and who may change it, and the private data folder (issue 18). */
#include "core/sys/win32/win32_ops.h"
#include "core/sys/win32/win32_util.h"

#include <aclapi.h>
#include <sddl.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Owner Administrators; SYSTEM and Administrators full control, inherited by everything made in
 * the folder; P: nothing inherited from ProgramData, whose ACL lets users create files. */
#define PRIVATE_SDDL L"O:BAD:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)"
#define PRIVATE_SDDL_NO_OWNER L"D:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)"

static void sid_string(PSID sid, char *out, size_t outlen)
{
    wchar_t *w = NULL;
    out[0] = '\0';
    if (sid && IsValidSid(sid) && ConvertSidToStringSidW(sid, &w)) {
        WideCharToMultiByte(CP_UTF8, 0, w, -1, out, (int)outlen, NULL, NULL);
        out[outlen - 1] = '\0';
        LocalFree(w);
    }
}

static void self_sid(char *out, size_t outlen)
{
    HANDLE tok = NULL;
    union {
        TOKEN_USER user;
        unsigned char bytes[256];
    } buf;
    DWORD n = 0;
    out[0] = '\0';
    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &tok))
        return;
    if (GetTokenInformation(tok, TokenUser, &buf, sizeof buf, &n))
        sid_string(buf.user.User.Sid, out, outlen);
    CloseHandle(tok);
}

static void read_aces(PACL dacl, sp_pathsec *out)
{
    ACL_SIZE_INFORMATION info;
    out->has_dacl = dacl != NULL;
    if (!dacl || !GetAclInformation(dacl, &info, sizeof info, AclSizeInformation))
        return;
    for (DWORD i = 0; i < info.AceCount; i++) {
        ACE_HEADER *h = NULL;
        if (!GetAce(dacl, i, (void **)&h))
            continue;
        if (out->ace_count == SP_PATHSEC_MAX_ACES) {
            out->aces_truncated = 1;
            return;
        }
        sp_ace *a = &out->aces[out->ace_count++];
        a->flags = h->AceFlags;
        switch (h->AceType) {
        case ACCESS_ALLOWED_ACE_TYPE:
        case ACCESS_DENIED_ACE_TYPE:
        case ACCESS_ALLOWED_CALLBACK_ACE_TYPE:
        case ACCESS_DENIED_CALLBACK_ACE_TYPE: {
            ACCESS_ALLOWED_ACE *ace = (ACCESS_ALLOWED_ACE *)h;
            a->allow = h->AceType == ACCESS_ALLOWED_ACE_TYPE ||
                       h->AceType == ACCESS_ALLOWED_CALLBACK_ACE_TYPE;
            a->mask = ace->Mask;
            sid_string(&ace->SidStart, a->sid, sizeof a->sid);
            break;
        }
        default:
            /* An object or audit ACE has no place on a file: judged as one that allows all. */
            a->allow = 1;
            a->mask = GENERIC_ALL;
            snprintf(a->sid, sizeof a->sid, "(ACE of type %u)", (unsigned)h->AceType);
            break;
        }
    }
}

sp_status w32_path_security(sp_sys *sys, const char *path, sp_pathsec *out)
{
    wchar_t *wpath = w32_path(path);
    HANDLE h = INVALID_HANDLE_VALUE;
    PSID owner = NULL;
    PACL dacl = NULL;
    PSECURITY_DESCRIPTOR sd = NULL;
    sp_status st = SP_OK;
    memset(out, 0, sizeof *out);
    if (!wpath)
        return w32_nomem(sys, "read a file's permissions");
    DWORD attrs = GetFileAttributesW(wpath);
    if (attrs == INVALID_FILE_ATTRIBUTES) {
        DWORD err = GetLastError();
        if (err != ERROR_FILE_NOT_FOUND && err != ERROR_PATH_NOT_FOUND)
            st = w32_fail(sys, err, "Could not look at %s", path);
        goto done;
    }
    out->exists = 1;
    out->is_dir = (attrs & FILE_ATTRIBUTE_DIRECTORY) != 0;
    out->reparse = (attrs & FILE_ATTRIBUTE_REPARSE_POINT) != 0;
    self_sid(out->self, sizeof out->self);
    /* The link itself, never what it points to (OPEN_REPARSE_POINT); folders need BACKUP_SEMANTICS. */
    h = CreateFileW(wpath, READ_CONTROL, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                    OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OPEN_REPARSE_POINT, NULL);
    if (h == INVALID_HANDLE_VALUE) {
        st = w32_fail(sys, GetLastError(), "Could not open %s to read its permissions", path);
        goto done;
    }
    DWORD err = GetSecurityInfo(h, SE_FILE_OBJECT, OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION,
                                &owner, NULL, &dacl, NULL, &sd);
    if (err != ERROR_SUCCESS) {
        st = w32_fail(sys, err, "Could not read the permissions of %s", path);
        goto done;
    }
    sid_string(owner, out->owner, sizeof out->owner);
    read_aces(dacl, out);
done:
    if (sd)
        LocalFree(sd);
    if (h != INVALID_HANDLE_VALUE)
        CloseHandle(h);
    free(wpath);
    return st;
}

static BOOL create_with(const wchar_t *wpath, const wchar_t *sddl, DWORD *err)
{
    PSECURITY_DESCRIPTOR sd = NULL;
    SECURITY_ATTRIBUTES sa;
    BOOL ok;
    if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl, SDDL_REVISION_1, &sd, NULL)) {
        *err = GetLastError();
        return FALSE;
    }
    sa.nLength = sizeof sa;
    sa.lpSecurityDescriptor = sd;
    sa.bInheritHandle = FALSE;
    ok = CreateDirectoryW(wpath, &sa);
    *err = ok ? 0 : GetLastError();
    LocalFree(sd);
    return ok;
}

sp_status w32_dir_create_private(sp_sys *sys, const char *path)
{
    wchar_t *wpath = w32_path(path);
    DWORD err = 0;
    sp_status st = SP_OK;
    if (!wpath)
        return w32_nomem(sys, "create the data folder");
    /* An account that may not give Administrators the ownership (not an administrator) still
     * gets the private DACL; the start-up check then judges the owner. */
    if (!create_with(wpath, PRIVATE_SDDL, &err) &&
        (err == ERROR_INVALID_OWNER || err == ERROR_PRIVILEGE_NOT_HELD))
        create_with(wpath, PRIVATE_SDDL_NO_OWNER, &err);
    if (err == ERROR_ALREADY_EXISTS)
        st = sp_sys_fail(sys, SP_ERR_EXISTS, "Could not create folder %s: it exists.", path);
    else if (err)
        st = w32_fail(sys, err, "Could not create folder %s", path);
    free(wpath);
    return st;
}
