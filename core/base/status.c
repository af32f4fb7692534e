/* Names of status codes, for logs and reports. */
#include "core/base/status.h"

const char *sp_status_name(sp_status s)
{
    switch (s) {
    case SP_OK: return "ok";
    case SP_ERR_NOTFOUND: return "notfound";
    case SP_ERR_ACCESS: return "access";
    case SP_ERR_IO: return "io";
    case SP_ERR_UNSUPPORTED: return "unsupported";
    case SP_ERR_TIMEOUT: return "timeout";
    case SP_ERR_INVALID: return "invalid";
    case SP_ERR_NOMEM: return "nomem";
    case SP_ERR_CANCELLED: return "cancelled";
    case SP_ERR_BADDATA: return "baddata";
    case SP_ERR_EXISTS: return "exists";
    }
    return "unknown";
}
