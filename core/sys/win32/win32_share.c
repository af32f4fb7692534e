/* The win32 backend's list of shares (issue 15): NetShareEnum at level 2, what the Server service serves. */
#include <windows.h>
#include <lm.h>

#include <stdlib.h>

#include "core/sys/win32/win32_ops.h"
#include "core/sys/win32/win32_util.h"

/* NERR_ServerNotStarted: the Server service (LanmanServer) is stopped and serves nothing. */
#define SP_NERR_SERVER_NOT_STARTED 2114u

sp_status w32_share_enum(sp_sys *sys, sp_share_cb cb, void *user)
{
    DWORD resume = 0, status;
    int stop = 0;
    if (!cb)
        return sp_sys_fail(sys, SP_ERR_INVALID, "share_enum: no callback");
    do {
        SHARE_INFO_2 *info = NULL;
        DWORD read = 0, total = 0;
        status = NetShareEnum(NULL, 2, (LPBYTE *)&info, MAX_PREFERRED_LENGTH, &read, &total, &resume);
        if (status != NERR_Success && status != ERROR_MORE_DATA) {
            if (info)
                NetApiBufferFree(info);
            if (status == SP_NERR_SERVER_NOT_STARTED)
                return w32_fail_as(sys, SP_ERR_UNSUPPORTED, status,
                                   "NetShareEnum: the Server service (LanmanServer) is not running");
            return w32_fail(sys, status, "NetShareEnum (level 2) failed");
        }
        for (DWORD i = 0; info && i < read && !stop; i++) {
            char *name = w32_utf8(info[i].shi2_netname ? info[i].shi2_netname : L"");
            char *path = w32_utf8(info[i].shi2_path ? info[i].shi2_path : L"");
            if (!name || !path) {
                free(name);
                free(path);
                NetApiBufferFree(info);
                return w32_nomem(sys, "list the shares");
            }
            sp_share share = {name, path, (uint32_t)info[i].shi2_type};
            stop = cb(user, &share);
            free(name);
            free(path);
        }
        if (info)
            NetApiBufferFree(info);
    } while (status == ERROR_MORE_DATA && !stop);
    return SP_OK;
}
