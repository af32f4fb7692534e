/* What the wizard knows about the source server: product, edition, roles, Exchange. */
#ifndef SP_SYSINFO_H
#define SP_SYSINFO_H

#include "core/base/status.h"
#include "core/step_list.h"
#include "core/sys/sys.h"

typedef enum {
    SP_PRODUCT_UNKNOWN = 0,
    SP_PRODUCT_SBS2003,
    SP_PRODUCT_SERVER2003,
    SP_PRODUCT_SBS2008,
    SP_PRODUCT_FOUNDATION2008,
    SP_PRODUCT_SERVER2008,
    SP_PRODUCT_SBS2011_STANDARD,
    SP_PRODUCT_SBS2011_ESSENTIALS,
    SP_PRODUCT_SERVER2008R2,
    SP_PRODUCT_ESSENTIALS2012,
    SP_PRODUCT_ESSENTIALS2012R2,
    SP_PRODUCT_ESSENTIALS2016,
    SP_PRODUCT_SERVER_OTHER,
    SP_PRODUCT_CLIENT /* not a server: the wizard does not apply */
} sp_product;

typedef enum {
    SP_EXCHANGE_NONE = 0,
    SP_EXCHANGE_2003,
    SP_EXCHANGE_2007,
    SP_EXCHANGE_2010
} sp_exchange;

typedef struct {
    sp_osinfo os;
    sp_product product;
    int is_dc;
    int is_sbs;
    int bits; /* 32 or 64 */
    sp_exchange exchange;
    unsigned exchange_sp;
    char product_name[96]; /* "Windows Small Business Server 2003" */
    char exchange_name[48]; /* "Exchange Server 2003" or "" */
    /* Where Exchange is installed, read from the key that detected it (issue 16): MsiInstallPath
     * of v14 or v8.0\Setup, Services of Exchange\Setup on 2003; "" when that key has none. */
    char exchange_path[260];
} sp_sysinfo;


sp_status sp_sysinfo_detect(sp_sys *sys, sp_sysinfo *out);
/* Pure: the product from the version numbers, suite mask, product info and name. */
sp_product sp_sysinfo_classify(const sp_osinfo *os);
const char *sp_product_name(sp_product p);
const char *sp_product_id(sp_product p); /* "sbs2003", ... for reports */
/* Which steps apply to this server (SP_APPLIES(id) bits, core/step_list.h). */
unsigned sp_sysinfo_applicable(const sp_sysinfo *info);
/* "Windows Small Business Server 2003 SP2, 32-bit, domain controller of contoso.local,
 * Exchange Server 2003 SP2": the one line that names the server, in English, for logs
 * and reports; the UI composes its own from the fields. */
void sp_sysinfo_describe(const sp_sysinfo *info, char *out, size_t outlen);

/* Which exe may work on which Windows. A 32-bit exe on 64-bit Windows runs under WOW64: it
 * would read HKLM\SOFTWARE through Wow6432Node and could not start System32's programs
 * (wbadmin.exe, w32tm.exe), so on a real server it must not run: SP_EXE_NEEDS_X64. On a
 * simulated server (/demo, /profile) nothing of this machine is read, and either exe serves. */
typedef enum {
    SP_EXE_FITS = 0,
    SP_EXE_NEEDS_X64
} sp_exe_fit;
sp_exe_fit sp_exe_fit_for(const char *exe_arch, const char *native_arch, int simulated);
/* The architecture this program was built for: "x64" or "x86". */
const char *sp_exe_arch(void);
/* 64 or 32. */
int sp_exe_bits(void);

#endif
