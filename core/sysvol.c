/* Finds this domain controller's SYSVOL and the Default Domain Controllers Policy in it (policy and health). */
#include "core/sysvol.h"

#include <stdio.h>
#include <string.h>

#include "core/base/strutil.h"

#define NETLOGON_KEY "HKLM\\SYSTEM\\CurrentControlSet\\Services\\Netlogon\\Parameters"

static int is_dir(sp_sys *sys, const char *path)
{
    sp_filestat fs;
    return sys->ops->file_stat(sys, path, &fs) == SP_OK && fs.exists && fs.is_dir;
}

typedef struct {
    sp_sys *sys;
    const char *sysvol;
    char found[256];
} domain_search;

static int find_domain_dir(void *user, const char *name, int dir)
{
    domain_search *d = user;
    char path[1000];
    if (!dir || name[0] == '.')
        return 0;
    snprintf(path, sizeof path, "%s\\%s\\Policies\\%s", d->sysvol, name, SP_DDCP_GUID);
    if (!is_dir(d->sys, path))
        return 0;
    sp_strlcpy(d->found, name, sizeof d->found);
    return 1;
}

sp_status sp_sysvol_locate(sp_sys *sys, const sp_sysinfo *info, sp_sysvol *s)
{
    domain_search d = {sys, s->sysvol, ""};
    memset(s, 0, sizeof *s);
    if (sp_reg_get_string(sys, SP_REG_VIEW_DEFAULT, NETLOGON_KEY, "SysVol", s->sysvol,
                          sizeof s->sysvol) != SP_OK || !is_dir(sys, s->sysvol))
        sp_strlcpy(s->sysvol, "\\\\localhost\\SYSVOL", sizeof s->sysvol);
    for (size_t n = strlen(s->sysvol); n > 3 && s->sysvol[n - 1] == '\\'; n--)
        s->sysvol[n - 1] = '\0'; /* "C:\WINDOWS\SYSVOL\sysvol\" names the same folder */
    if (!is_dir(sys, s->sysvol))
        return SP_ERR_NOTFOUND;
    if (info && info->os.domain[0]) {
        snprintf(s->gpo_dir, sizeof s->gpo_dir, "%s\\%s\\Policies\\%s", s->sysvol,
                 info->os.domain, SP_DDCP_GUID);
        if (is_dir(sys, s->gpo_dir))
            sp_strlcpy(d.found, info->os.domain, sizeof d.found);
    }
    if (!d.found[0])
        sys->ops->dir_enum(sys, s->sysvol, find_domain_dir, &d);
    if (!d.found[0]) {
        sp_strlcpy(s->domain, info && info->os.domain[0] ? info->os.domain : "", sizeof s->domain);
        snprintf(s->scripts, sizeof s->scripts, "%s\\%s\\scripts", s->sysvol, s->domain);
        return SP_OK; /* no policy folder: the caller says so */
    }
    sp_strlcpy(s->domain, d.found, sizeof s->domain);
    s->has_gpo = 1;
    snprintf(s->gpo_dir, sizeof s->gpo_dir, "%s\\%s\\Policies\\%s", s->sysvol, s->domain, SP_DDCP_GUID);
    snprintf(s->inf_path, sizeof s->inf_path, "%s\\MACHINE\\Microsoft\\Windows NT\\SecEdit\\GptTmpl.inf",
             s->gpo_dir);
    snprintf(s->ini_path, sizeof s->ini_path, "%s\\GPT.INI", s->gpo_dir);
    snprintf(s->scripts, sizeof s->scripts, "%s\\%s\\scripts", s->sysvol, s->domain);
    return SP_OK;
}
