/* Detects the source product, its roles and Exchange, and which steps apply to it. */
#include "core/sysinfo.h"

#include <stdio.h>
#include <string.h>

#include "core/base/strutil.h"

/* Values of GetProductInfo and VER_SUITE_* that name the SBS family. */
#define PRODUCT_SMALLBUSINESS_SERVER 0x09
#define PRODUCT_SMALLBUSINESS_SERVER_PREMIUM 0x19
#define PRODUCT_SERVER_FOUNDATION 0x21
#define PRODUCT_SB_SOLUTION_SERVER 0x32
#define SUITE_SMALLBUSINESS 0x0001
#define SUITE_SMALLBUSINESS_RESTRICTED 0x0020

static const struct {
    sp_product product;
    const char *id;
    const char *name;
} products[] = {
    {SP_PRODUCT_UNKNOWN, "unknown", "Unknown Windows version"},
    {SP_PRODUCT_SBS2003, "sbs2003", "Windows Small Business Server 2003"},
    {SP_PRODUCT_SERVER2003, "server2003", "Windows Server 2003"},
    {SP_PRODUCT_SBS2008, "sbs2008", "Windows Small Business Server 2008"},
    {SP_PRODUCT_FOUNDATION2008, "foundation2008", "Windows Server 2008 Foundation"},
    {SP_PRODUCT_SERVER2008, "server2008", "Windows Server 2008"},
    {SP_PRODUCT_SBS2011_STANDARD, "sbs2011std", "Windows Small Business Server 2011 Standard"},
    {SP_PRODUCT_SBS2011_ESSENTIALS, "sbs2011ess", "Windows Small Business Server 2011 Essentials"},
    {SP_PRODUCT_SERVER2008R2, "server2008r2", "Windows Server 2008 R2"},
    {SP_PRODUCT_ESSENTIALS2012, "ess2012", "Windows Server 2012 Essentials"},
    {SP_PRODUCT_ESSENTIALS2012R2, "ess2012r2", "Windows Server 2012 R2 Essentials"},
    {SP_PRODUCT_ESSENTIALS2016, "ess2016", "Windows Server 2016 Essentials"},
    {SP_PRODUCT_SERVER_OTHER, "server", "Windows Server"},
    {SP_PRODUCT_CLIENT, "client", "Windows (not a server)"},
};

const char *sp_product_name(sp_product p)
{
    for (size_t i = 0; i < sizeof products / sizeof products[0]; i++)
        if (products[i].product == p)
            return products[i].name;
    return products[0].name;
}

const char *sp_product_id(sp_product p)
{
    for (size_t i = 0; i < sizeof products / sizeof products[0]; i++)
        if (products[i].product == p)
            return products[i].id;
    return products[0].id;
}

sp_product sp_sysinfo_classify(const sp_osinfo *os)
{
    int sbs_suite = (os->suite_mask & (SUITE_SMALLBUSINESS | SUITE_SMALLBUSINESS_RESTRICTED)) != 0;
    int essentials = os->product_info == PRODUCT_SB_SOLUTION_SERVER ||
                     sp_stristr(os->product_name, "Essentials");
    int foundation = os->product_info == PRODUCT_SERVER_FOUNDATION ||
                     sp_stristr(os->product_name, "Foundation");
    int sbs_info = os->product_info == PRODUCT_SMALLBUSINESS_SERVER ||
                   os->product_info == PRODUCT_SMALLBUSINESS_SERVER_PREMIUM;
    unsigned v = os->major * 100 + os->minor;

    if (os->product_type == 1)
        return SP_PRODUCT_CLIENT;
    switch (v) {
    case 502:
        return sbs_suite ? SP_PRODUCT_SBS2003 : SP_PRODUCT_SERVER2003;
    case 600:
        if (sbs_suite || sbs_info)
            return SP_PRODUCT_SBS2008;
        return foundation ? SP_PRODUCT_FOUNDATION2008 : SP_PRODUCT_SERVER2008;
    case 601:
        /* SBS 2011 Essentials also sets the SBS suite bits: test it first. */
        if (essentials)
            return SP_PRODUCT_SBS2011_ESSENTIALS;
        if (sbs_suite || sbs_info)
            return SP_PRODUCT_SBS2011_STANDARD;
        return foundation ? SP_PRODUCT_FOUNDATION2008 : SP_PRODUCT_SERVER2008R2;
    case 602:
        return essentials ? SP_PRODUCT_ESSENTIALS2012 : SP_PRODUCT_SERVER_OTHER;
    case 603:
        return essentials ? SP_PRODUCT_ESSENTIALS2012R2 : SP_PRODUCT_SERVER_OTHER;
    case 1000:
        return essentials ? SP_PRODUCT_ESSENTIALS2016 : SP_PRODUCT_SERVER_OTHER;
    default:
        return v < 502 ? SP_PRODUCT_UNKNOWN : SP_PRODUCT_SERVER_OTHER;
    }
}

/* Exchange keeps its version in a different key in each release. */
static void detect_exchange(sp_sys *sys, sp_sysinfo *info)
{
    uint32_t major = 0, minor = 0;
    char path[260];

    if (sp_reg_get_dword(sys, SP_REG_VIEW_64, "HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\v14\\Setup",
                         "MsiProductMajor", &major) == SP_OK && major == 14) {
        sp_reg_get_dword(sys, SP_REG_VIEW_64, "HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\v14\\Setup",
                         "MsiProductMinor", &minor);
        info->exchange = SP_EXCHANGE_2010;
        info->exchange_sp = minor;
        sp_reg_get_string(sys, SP_REG_VIEW_64, "HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\v14\\Setup",
                          "MsiInstallPath", info->exchange_path, sizeof info->exchange_path);
    } else if (sp_reg_get_dword(sys, SP_REG_VIEW_64, "HKLM\\SOFTWARE\\Microsoft\\Exchange\\v8.0\\Setup",
                                "MsiProductMajor", &major) == SP_OK && major == 8) {
        sp_reg_get_dword(sys, SP_REG_VIEW_64, "HKLM\\SOFTWARE\\Microsoft\\Exchange\\v8.0\\Setup",
                         "MsiProductMinor", &minor);
        info->exchange = SP_EXCHANGE_2007;
        info->exchange_sp = minor;
        sp_reg_get_string(sys, SP_REG_VIEW_64, "HKLM\\SOFTWARE\\Microsoft\\Exchange\\v8.0\\Setup",
                          "MsiInstallPath", info->exchange_path, sizeof info->exchange_path);
    } else if (sp_reg_get_string(sys, SP_REG_VIEW_DEFAULT, "HKLM\\SOFTWARE\\Microsoft\\Exchange\\Setup",
                                 "Services", path, sizeof path) == SP_OK) {
        sp_reg_get_dword(sys, SP_REG_VIEW_DEFAULT, "HKLM\\SOFTWARE\\Microsoft\\Exchange\\Setup",
                         "ServicePackNumber", &minor);
        info->exchange = SP_EXCHANGE_2003;
        info->exchange_sp = minor;
        sp_strlcpy(info->exchange_path, path, sizeof info->exchange_path);
    }
    switch (info->exchange) {
    case SP_EXCHANGE_2003: sp_strlcpy(info->exchange_name, "Exchange Server 2003", sizeof info->exchange_name); break;
    case SP_EXCHANGE_2007: sp_strlcpy(info->exchange_name, "Exchange Server 2007", sizeof info->exchange_name); break;
    case SP_EXCHANGE_2010: sp_strlcpy(info->exchange_name, "Exchange Server 2010", sizeof info->exchange_name); break;
    case SP_EXCHANGE_NONE: info->exchange_name[0] = '\0'; break;
    }
}

sp_status sp_sysinfo_detect(sp_sys *sys, sp_sysinfo *out)
{
    sp_status st;
    memset(out, 0, sizeof *out);
    st = sys->ops->os_info(sys, &out->os);
    if (st != SP_OK)
        return st;
    out->product = sp_sysinfo_classify(&out->os);
    out->is_dc = out->os.product_type == 2;
    out->is_sbs = out->product == SP_PRODUCT_SBS2003 || out->product == SP_PRODUCT_SBS2008 ||
                  out->product == SP_PRODUCT_SBS2011_STANDARD ||
                  out->product == SP_PRODUCT_SBS2011_ESSENTIALS;
    out->bits = strcmp(out->os.arch, "x64") == 0 ? 64 : 32;
    sp_strlcpy(out->product_name, sp_product_name(out->product), sizeof out->product_name);
    detect_exchange(sys, out);
    return SP_OK;
}

unsigned sp_sysinfo_applicable(const sp_sysinfo *info)
{
    unsigned bits = SP_APPLIES(backup) | SP_APPLIES(updates) | SP_APPLIES(health) |
                    SP_APPLIES(timesync) | SP_APPLIES(lob);
    /* The document asks for the policy cleanup on 2003-era sources only. */
    if (info->os.major == 5)
        bits |= SP_APPLIES(policy);
    if (info->exchange != SP_EXCHANGE_NONE)
        bits |= SP_APPLIES(email);
    return bits;
}

sp_exe_fit sp_exe_fit_for(const char *exe_arch, const char *native_arch, int simulated)
{
    if (simulated || !exe_arch || strcmp(exe_arch, "x86") != 0 || !native_arch)
        return SP_EXE_FITS;
    /* A 64-bit Windows of any kind: x64, Itanium, ARM64 (x86 emulation there is WOW64 too). */
    if (strcmp(native_arch, "x64") == 0 || strcmp(native_arch, "ia64") == 0 || strcmp(native_arch, "arm64") == 0)
        return SP_EXE_NEEDS_X64;
    return SP_EXE_FITS;
}

int sp_exe_bits(void)
{
    return (int)(sizeof(void *) * 8);
}

const char *sp_exe_arch(void)
{
    return sp_exe_bits() == 64 ? "x64" : "x86";
}

void sp_sysinfo_describe(const sp_sysinfo *info, char *out, size_t outlen)
{
    char sp[16] = "", role[300], exch[64] = "";
    if (info->os.sp_major)
        snprintf(sp, sizeof sp, " SP%u", info->os.sp_major);
    if (info->is_dc && info->os.domain[0])
        snprintf(role, sizeof role, ", domain controller of %s", info->os.domain);
    else if (info->os.domain[0])
        snprintf(role, sizeof role, ", member of %s", info->os.domain);
    else
        snprintf(role, sizeof role, ", not in a domain");
    if (info->exchange != SP_EXCHANGE_NONE) {
        if (info->exchange_sp)
            snprintf(exch, sizeof exch, ", %s SP%u", info->exchange_name, info->exchange_sp);
        else
            snprintf(exch, sizeof exch, ", %s", info->exchange_name);
    }
    snprintf(out, outlen, "%s%s, %d-bit%s%s", info->product_name, sp, info->bits, role, exch);
}
