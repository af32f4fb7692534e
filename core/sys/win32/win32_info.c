/* The win32 backend's facts about the machine: OS version and edition, admin rights, clock, folders. */
#include "core/sys/win32/win32_ops.h"
#include "core/sys/win32/win32_util.h"

#include <shlobj.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef LONG(WINAPI *rtl_get_version_fn)(OSVERSIONINFOEXW *info);
typedef BOOL(WINAPI *get_product_info_fn)(DWORD, DWORD, DWORD, DWORD, DWORD *);

/* GetVersionExW lies to programs without a compatibility manifest on Windows 8.1 and later;
 * ntdll's RtlGetVersion does not, and it is there on every NT, so prefer it. */
static BOOL read_version(OSVERSIONINFOEXW *vi)
{
    memset(vi, 0, sizeof *vi);
    vi->dwOSVersionInfoSize = sizeof *vi;
    HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
    rtl_get_version_fn rtl_get_version =
        ntdll ? (rtl_get_version_fn)(void (*)(void))GetProcAddress(ntdll, "RtlGetVersion") : NULL;
    if (rtl_get_version && rtl_get_version(vi) == 0)
        return TRUE;
    memset(vi, 0, sizeof *vi);
    vi->dwOSVersionInfoSize = sizeof *vi;
    return GetVersionExW((OSVERSIONINFOW *)vi);
}

/* GetProductInfo is Vista's; on 2003 it is absent and the edition comes from the suite mask. */
static unsigned read_product_info(const OSVERSIONINFOEXW *vi)
{
    if (vi->dwMajorVersion < 6)
        return 0;
    HMODULE k32 = GetModuleHandleW(L"kernel32.dll");
    get_product_info_fn get_product_info =
        k32 ? (get_product_info_fn)(void (*)(void))GetProcAddress(k32, "GetProductInfo") : NULL;
    DWORD type = 0;
    if (!get_product_info ||
        !get_product_info(vi->dwMajorVersion, vi->dwMinorVersion, vi->wServicePackMajor,
                          vi->wServicePackMinor, &type))
        return 0;
    return (unsigned)type;
}

static const char *arch_name(WORD arch)
{
    switch (arch) {
    case PROCESSOR_ARCHITECTURE_AMD64: return "x64";
    case PROCESSOR_ARCHITECTURE_INTEL: return "x86";
    case PROCESSOR_ARCHITECTURE_IA64: return "ia64";
    case 12: return "arm64"; /* PROCESSOR_ARCHITECTURE_ARM64, newer than our headers' baseline */
    default: return "unknown";
    }
}

/* Copies UTF-16 into a fixed UTF-8 field, cutting on a character boundary when too long. */
static void copy_field(char *dst, size_t dstlen, const wchar_t *src)
{
    char *u = w32_utf8(src);
    dst[0] = '\0';
    if (!u)
        return;
    size_t n = strlen(u);
    if (n >= dstlen) {
        n = dstlen - 1;
        while (n > 0 && ((unsigned char)u[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(dst, u, n);
    dst[n] = '\0';
    free(u);
}

/* The SBS suite bits of ProductOptions\ProductSuite ("Small Business", "Small Business(Restricted)"),
 * the value the kernel derives wSuiteMask's from: GetVersionEx under Wine never sets them. */
static unsigned short suite_from_registry(sp_sys *sys)
{
    sp_regval v = {SP_REG_NONE, NULL, 0};
    unsigned short bits = 0;
    if (sys->ops->reg_get(sys, SP_REG_VIEW_DEFAULT,
                          "HKLM\\SYSTEM\\CurrentControlSet\\Control\\ProductOptions", "ProductSuite",
                          &v) != SP_OK) {
        sys->last_error[0] = '\0';
        return 0;
    }
    if (v.type == SP_REG_MULTI_SZ && v.data) {
        const char *p = (const char *)v.data, *end = p + v.size;
        while (p < end && *p) {
            if (strcmp(p, "Small Business") == 0)
                bits |= VER_SUITE_SMALLBUSINESS;
            else if (strcmp(p, "Small Business(Restricted)") == 0)
                bits |= VER_SUITE_SMALLBUSINESS_RESTRICTED;
            p += strlen(p) + 1;
        }
    }
    sp_regval_free(&v);
    return bits;
}

sp_status w32_os_info(sp_sys *sys, sp_osinfo *out)
{
    OSVERSIONINFOEXW vi;
    memset(out, 0, sizeof *out);
    if (!read_version(&vi))
        return w32_fail(sys, GetLastError(), "Could not read the Windows version");
    out->major = vi.dwMajorVersion;
    out->minor = vi.dwMinorVersion;
    out->build = vi.dwBuildNumber & 0xFFFF; /* 9x kept other bits here; NT never needs them */
    out->sp_major = vi.wServicePackMajor;
    out->sp_minor = vi.wServicePackMinor;
    out->product_type = vi.wProductType;
    out->suite_mask = vi.wSuiteMask;
    if (out->major == 5 || out->major == 6)
        out->suite_mask |= suite_from_registry(sys);
    out->product_info = read_product_info(&vi);
    copy_field(out->csd, sizeof out->csd, vi.szCSDVersion);

    /* The edition's marketing name is only in the registry; its absence is not a failure. */
    if (sp_reg_get_string(sys, SP_REG_VIEW_DEFAULT, "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion",
                          "ProductName", out->product_name, sizeof out->product_name) != SP_OK) {
        out->product_name[0] = '\0';
        sys->last_error[0] = '\0';
    }

    SYSTEM_INFO si;
    GetNativeSystemInfo(&si);
    snprintf(out->arch, sizeof out->arch, "%s", arch_name(si.wProcessorArchitecture));

    wchar_t name[MAX_COMPUTERNAME_LENGTH + 1];
    DWORD len = MAX_COMPUTERNAME_LENGTH + 1;
    if (GetComputerNameW(name, &len))
        copy_field(out->computer, sizeof out->computer, name);

    /* Outside a domain the DNS domain is empty, which GetComputerNameExW reports as success. */
    wchar_t domain[256];
    len = sizeof domain / sizeof domain[0];
    if (GetComputerNameExW(ComputerNameDnsDomain, domain, &len))
        copy_field(out->domain, sizeof out->domain, domain);
    /* The language of the system's own tools (kernel32 since Windows 2000: no lookup needed). */
    out->ui_language = GetSystemDefaultUILanguage();
    return SP_OK;
}

int w32_is_admin(sp_sys *sys)
{
    (void)sys;
    SID_IDENTIFIER_AUTHORITY nt = SECURITY_NT_AUTHORITY;
    PSID admins = NULL;
    BOOL member = FALSE;
    if (!AllocateAndInitializeSid(&nt, 2, SECURITY_BUILTIN_DOMAIN_RID, DOMAIN_ALIAS_RID_ADMINS, 0,
                                  0, 0, 0, 0, 0, &admins))
        return 0;
    /* With UAC this is false for a filtered token: exactly what "can make changes" means. */
    if (!CheckTokenMembership(NULL, admins, &member))
        member = FALSE;
    FreeSid(admins);
    return member ? 1 : 0;
}

int64_t w32_time_now(sp_sys *sys)
{
    (void)sys;
    FILETIME ft;
    GetSystemTimeAsFileTime(&ft);
    return w32_filetime_to_unix(&ft);
}

/* Removes a trailing backslash, except from a root such as "C:\". */
static void strip_trailing_backslash(wchar_t *p)
{
    size_t n = wcslen(p);
    if (n > 3 && p[n - 1] == L'\\')
        p[n - 1] = L'\0';
}

sp_status w32_folder(sp_sys *sys, sp_folder which, char *out, size_t outlen)
{
    wchar_t path[MAX_PATH + 1];
    path[0] = L'\0';
    switch (which) {
    case SP_FOLDER_PROGRAMDATA: {
        HRESULT hr = SHGetFolderPathW(NULL, CSIDL_COMMON_APPDATA, NULL, SHGFP_TYPE_CURRENT, path);
        if (FAILED(hr))
            return w32_fail_as(sys, SP_ERR_NOTFOUND, (DWORD)hr,
                               "Could not find the common application data folder");
        break;
    }
    case SP_FOLDER_TEMP: {
        DWORD n = GetTempPathW(MAX_PATH + 1, path);
        if (n == 0 || n > MAX_PATH)
            return w32_fail(sys, n ? ERROR_INSUFFICIENT_BUFFER : GetLastError(),
                            "Could not find the temporary folder");
        break;
    }
    case SP_FOLDER_WINDOWS: {
        /* Not GetWindowsDirectoryW: on a Terminal Server it can return a per-user copy. */
        UINT n = GetSystemWindowsDirectoryW(path, MAX_PATH + 1);
        if (n == 0 || n > MAX_PATH)
            return w32_fail(sys, n ? ERROR_INSUFFICIENT_BUFFER : GetLastError(),
                            "Could not find the Windows folder");
        break;
    }
    default:
        return sp_sys_fail(sys, SP_ERR_INVALID, "Unknown folder %d.", (int)which);
    }
    strip_trailing_backslash(path);
    return w32_copy_out(sys, path, out, outlen, "a folder path");
}
