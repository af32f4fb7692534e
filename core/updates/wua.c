/* Windows Update Agent vocabulary: the HRESULTs an agent gives, named and explained. */
#include "core/updates/wua.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/base/civil.h"

typedef struct {
    uint32_t hr;
    const char *name;
    const char *meaning;
} wua_hr_entry;

/* The errors an administrator meets when the agent cannot run, reach its server or install. */
static const wua_hr_entry wua_hrs[] = {
    {0x80004001u, "E_NOTIMPL", "the Windows Update Agent on this system does not implement this call"},
    {0x80004005u, "E_FAIL", "unspecified failure"},
    {0x80070005u, "E_ACCESSDENIED", "access denied: run the wizard as an administrator"},
    {0x8007000Eu, "E_OUTOFMEMORY", "out of memory"},
    {0x80040154u, "REGDB_E_CLASSNOTREG", "the Windows Update Agent is not installed"},
    {0x800401F0u, "CO_E_NOTINITIALIZED", "COM is not initialised"},
    {0x80070422u, "ERROR_SERVICE_DISABLED", "the Automatic Updates (wuauserv) service is disabled"},
    {0x8007045Bu, "ERROR_SHUTDOWN_IN_PROGRESS", "the system is shutting down"},
    {0x80070643u, "ERROR_INSTALL_FAILURE", "a fatal error happened during installation"},
    {0x800706BAu, "RPC_S_SERVER_UNAVAILABLE", "the RPC server is unavailable"},
    {0x80072EE2u, "ERROR_INTERNET_TIMEOUT", "the connection to the update server timed out"},
    {0x80072EE7u, "ERROR_INTERNET_NAME_NOT_RESOLVED", "the update server's name does not resolve: no Internet access or a wrong proxy"},
    {0x80072EFDu, "ERROR_INTERNET_CANNOT_CONNECT", "the update server cannot be reached"},
    {0x80072F8Fu, "ERROR_INTERNET_SECURE_FAILURE", "the secure connection failed: check the server's clock and root certificates"},
    {0x8024001Eu, "WU_E_SERVICE_STOP", "the Automatic Updates service stopped during the operation"},
    {0x80240016u, "WU_E_INSTALL_NOT_ALLOWED", "another installation is running or a restart is pending"},
    {0x80240020u, "WU_E_NO_INTERACTIVE_USER", "no administrator is logged on interactively"},
    {0x80240022u, "WU_E_ALL_UPDATES_FAILED", "every update in the operation failed"},
    {0x80240032u, "WU_E_INVALID_CRITERIA", "the search criteria were not understood"},
    {0x80240044u, "WU_E_PER_MACHINE_UPDATE_ACCESS_DENIED", "only an administrator can install updates for the machine"},
    {0x8024402Cu, "WU_E_PT_WINHTTP_NAME_NOT_RESOLVED", "the update server's name does not resolve: no Internet access or a wrong proxy or WSUS name"},
    {0x8024401Bu, "WU_E_PT_HTTP_STATUS_PROXY_AUTH_REQ", "the proxy requires authentication"},
    {0x80244017u, "WU_E_PT_HTTP_STATUS_DENIED", "the update server refused access (HTTP 401)"},
    {0x80244019u, "WU_E_PT_HTTP_STATUS_NOT_FOUND", "the WSUS server was not found (HTTP 404)"},
    {0x80244022u, "WU_E_PT_HTTP_STATUS_SERVICE_UNAVAIL", "the update server is unavailable (HTTP 503)"},
    {0x8024402Fu, "WU_E_PT_ECP_SUCCEEDED_WITH_ERRORS", "external cab processing completed with errors"},
    {0x80244010u, "WU_E_PT_EXCEEDED_MAX_SERVER_TRIPS", "the update server needed too many round trips"},
    {0x80246007u, "WU_E_DM_NOTDOWNLOADED", "the update was not downloaded"},
    {0x8024A000u, "WU_E_AU_NOSERVICE", "the Automatic Updates service is not running"},
    {0x8024D00Cu, "WU_E_SETUP_REBOOT_TO_FIX", "the Windows Update Agent needs a restart to finish updating itself"},
};

void sp_wua_describe_hresult(uint32_t hr, char *out, size_t outlen)
{
    unsigned facility = (hr >> 16) & 0x1FFFu;
    if (!out || !outlen)
        return;
    for (size_t i = 0; i < sizeof wua_hrs / sizeof *wua_hrs; i++)
        if (wua_hrs[i].hr == hr) {
            snprintf(out, outlen, "0x%08lX (%s: %s)", (unsigned long)hr, wua_hrs[i].name,
                     wua_hrs[i].meaning);
            return;
        }
    if (facility == 7)
        snprintf(out, outlen, "0x%08lX (Windows error %lu)", (unsigned long)hr,
                 (unsigned long)(hr & 0xFFFFu));
    else if (facility == 0x24)
        snprintf(out, outlen, "0x%08lX (a Windows Update Agent error: look it up in WindowsUpdate.log)",
                 (unsigned long)hr);
    else if (facility == 12)
        snprintf(out, outlen, "0x%08lX (a network error: Internet error %lu)", (unsigned long)hr,
                 (unsigned long)(hr & 0xFFFFu));
    else
        snprintf(out, outlen, "0x%08lX (an unknown error)", (unsigned long)hr);
}

const char *sp_wua_result_name(int result)
{
    switch (result) {
    case 0: return "not started";
    case 1: return "in progress";
    case 2: return "succeeded";
    case 3: return "succeeded with errors";
    case 4: return "failed";
    case 5: return "aborted";
    default: return "unknown result";
    }
}

int sp_wua_result_ok(int result)
{
    return result == 2 || result == 3;
}

/* n digits exactly, into *out. */
static int wua_digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return 0;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 1;
}

int64_t sp_wua_parse_time(const char *s)
{
    int y, mo, d, h, mi, sec;
    if (!s || strlen(s) != 19 || s[4] != '-' || s[7] != '-' || s[10] != ' ' || s[13] != ':' ||
        s[16] != ':')
        return -1;
    if (!wua_digits(s, 4, &y) || !wua_digits(s + 5, 2, &mo) || !wua_digits(s + 8, 2, &d) ||
        !wua_digits(s + 11, 2, &h) || !wua_digits(s + 14, 2, &mi) || !wua_digits(s + 17, 2, &sec))
        return -1;
    return sp_civil_to_unix(y, mo, d, h, mi, sec);
}

int sp_wua_package_is(const char *name, const char *kb)
{
    size_t n;
    const char *p;
    if (!name || !kb || !kb[0])
        return 0;
    n = strlen(kb);
    if (strncmp(name, "Package_", 8) != 0)
        return 0;
    p = name + 8;
    /* "Package_for_KB..." or a numbered part, "Package_12_for_KB..." */
    while (isdigit((unsigned char)*p))
        p++;
    if (p > name + 8 && *p++ != '_')
        return 0;
    if (strncmp(p, "for_", 4) != 0)
        return 0;
    p += 4;
    for (size_t i = 0; i < n; i++)
        if (toupper((unsigned char)p[i]) != toupper((unsigned char)kb[i]))
            return 0;
    /* KB4474419 is not KB44744190: the name goes on with "~" (or ends). */
    return p[n] == '~' || p[n] == '\0';
}
