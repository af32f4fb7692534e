/* Backend-independent helpers of the OS seam: value ownership, typed reads, errors. */
#include "core/sys/sys.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sp_regval_free(sp_regval *v)
{
    if (!v)
        return;
    free(v->data);
    v->data = NULL;
    v->size = 0;
    v->type = SP_REG_NONE;
}

sp_status sp_regval_set_sz(sp_regval *v, const char *s)
{
    size_t n = strlen(s) + 1;
    unsigned char *d = malloc(n);
    if (!d)
        return SP_ERR_NOMEM;
    memcpy(d, s, n);
    sp_regval_free(v);
    v->type = SP_REG_SZ;
    v->data = d;
    v->size = n;
    return SP_OK;
}

sp_status sp_regval_set_dword(sp_regval *v, uint32_t dw)
{
    unsigned char *d = malloc(4);
    if (!d)
        return SP_ERR_NOMEM;
    /* Registry DWORDs are little-endian whatever the host. */
    d[0] = (unsigned char)(dw & 0xff);
    d[1] = (unsigned char)((dw >> 8) & 0xff);
    d[2] = (unsigned char)((dw >> 16) & 0xff);
    d[3] = (unsigned char)((dw >> 24) & 0xff);
    sp_regval_free(v);
    v->type = SP_REG_DWORD;
    v->data = d;
    v->size = 4;
    return SP_OK;
}

sp_status sp_reg_get_string(sp_sys *sys, sp_reg_view view, const char *key, const char *value,
                            char *out, size_t outlen)
{
    sp_regval v = {0};
    sp_status st = sys->ops->reg_get(sys, view, key, value, &v);
    if (st != SP_OK)
        return st;
    if ((v.type != SP_REG_SZ && v.type != SP_REG_EXPAND_SZ) || outlen == 0) {
        sp_regval_free(&v);
        return SP_ERR_BADDATA;
    }
    size_t n = 0;
    while (n < v.size && v.data[n])
        n++;
    if (n >= outlen)
        n = outlen - 1;
    memcpy(out, v.data, n);
    out[n] = '\0';
    sp_regval_free(&v);
    return SP_OK;
}

sp_status sp_reg_get_dword(sp_sys *sys, sp_reg_view view, const char *key, const char *value,
                           uint32_t *out)
{
    sp_regval v = {0};
    sp_status st = sys->ops->reg_get(sys, view, key, value, &v);
    if (st != SP_OK)
        return st;
    if (v.type != SP_REG_DWORD || v.size < 4) {
        sp_regval_free(&v);
        return SP_ERR_BADDATA;
    }
    *out = (uint32_t)v.data[0] | ((uint32_t)v.data[1] << 8) | ((uint32_t)v.data[2] << 16) |
           ((uint32_t)v.data[3] << 24);
    sp_regval_free(&v);
    return SP_OK;
}

sp_status sp_sys_fail(sp_sys *sys, sp_status status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sys->last_error, sizeof sys->last_error, fmt, ap);
    va_end(ap);
    return status;
}

void sp_sys_close(sp_sys *sys)
{
    if (sys && sys->ops && sys->ops->close)
        sys->ops->close(sys);
}
