/* The win32 backend's SID to account name lookup (LookupAccountSidW, Windows 2000 and later). */
#include "core/sys/win32/win32_ops.h"
#include "core/sys/win32/win32_util.h"

#include <sddl.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

sp_status w32_sid_lookup(sp_sys *sys, const char *sid, char *out, size_t outlen)
{
    wchar_t *wsid = NULL, name[256], domain[256], full[520];
    DWORD nlen = 256, dlen = 256;
    SID_NAME_USE use;
    PSID psid = NULL;
    sp_status st;

    if (outlen)
        out[0] = '\0';
    if (!sid || !(wsid = w32_wide(sid)))
        return sid ? w32_nomem(sys, "look up a SID") : sp_sys_fail(sys, SP_ERR_INVALID, "no SID");
    if (!ConvertStringSidToSidW(wsid, &psid)) {
        st = w32_fail_as(sys, SP_ERR_INVALID, GetLastError(), "%s is not a SID", sid);
        free(wsid);
        return st;
    }
    free(wsid);
    if (!LookupAccountSidW(NULL, psid, name, &nlen, domain, &dlen, &use)) {
        DWORD err = GetLastError();
        LocalFree(psid);
        if (err == ERROR_NONE_MAPPED)
            return sp_sys_fail(sys, SP_ERR_NOTFOUND, "No account has the SID %s.", sid);
        return w32_fail(sys, err, "Could not look up the SID %s", sid);
    }
    LocalFree(psid);
    if (domain[0])
        _snwprintf(full, 520, L"%ls\\%ls", domain, name);
    else
        _snwprintf(full, 520, L"%ls", name);
    full[519] = 0;
    return w32_copy_out(sys, full, out, outlen, "account name");
}
