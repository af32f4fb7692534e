/* The simulated machine: a Windows server described by a JSON profile, its files kept on a host. */
#ifndef SP_SIM_H
#define SP_SIM_H

#include <stddef.h>

#include "core/status.h"
#include "core/sys/sys.h"

/* Opens a simulated machine from the profile json (len bytes, no NUL needed).
 *
 * host does the real file I/O (posix in native tests, win32 in the .exe); the sim
 * does not own it and it must outlive the sim. root is a host folder under which
 * the simulated Windows paths live: C:\A\B is <root>/C/A/B and \\srv\share\x is
 * <root>/UNC/srv/share/x (with backslashes when root looks like a Windows path).
 * On a case-sensitive host an existing file or folder is found whatever the case
 * of the Windows path, as on Windows.
 *
 * On open, root and the profile's folders are created and each entry of "files" is
 * written unless it exists. <root>/.sim-seeded lists what was written, so an entry is
 * written once per root: a file a run changed or deleted stays so in the next run
 * (delete root to start afresh). Registry and service changes live in memory until close.
 *
 * The profile, beyond the example in tests/profiles: "os" is required, everything
 * else optional and unknown keys are ignored. "admin" defaults to true; without "now"
 * time_now is the real time; "folders" default to the English Server 2003 ones.
 * Registry values are {"sz"|"expand_sz": "..."}, {"multi_sz": [...]}, {"dword": n},
 * {"qword": n or "decimal" or "0x..."}, {"binary": "00ff10" or "00 ff,10"}; the name
 * "(Default)" is the key's unnamed value. "registry32" is the 32-bit view of a 64-bit
 * machine; without it both views read "registry". A service defaults to running/auto;
 * its optional "image" (ImagePath as configured) and "display" (display name) strings are
 * what svc_enum reports ("" when absent).
 * A process entry may say "timeout": true to make proc_run report SP_ERR_TIMEOUT.
 * With "admin": false, HKLM writes and service control fail with SP_ERR_ACCESS.
 * A service may say "stop_ms"/"start_ms" (0-60000): stopping or starting it takes that long.
 *
 * "ntp": {"host": {"offset_ms": n, "delay_ms": n, "stratum": n, "leap": n, "reply": r}} are
 * the NTP servers udp_exchange answers for (by host name, any port): offset_ms is their clock
 * minus this server's (default 0), delay_ms the round trip (30), stratum 2, leap 0; reply
 * "ntp" (default), "garbage" (bytes that are not NTP) or "none" (SP_ERR_TIMEOUT). Another
 * host is SP_ERR_NOTFOUND. "w32time_sync_ms": when W32Time starts with Parameters\Type NT5DS,
 * it steps this server's clock by that much, once: every peer's offset shrinks by it.
 * time_zone reads StandardName and Bias under HKLM\SYSTEM\CurrentControlSet\Control\
 * TimeZoneInformation (SP_ERR_NOTFOUND without them).
 *
 * "ldap" is the directory the LDAP operations see: {"entries": {DN: {attribute: "value" or
 * ["v1", "v2"]}}}, the DN "" being the rootDSE (give it "defaultNamingContext"). Searches
 * understand (attr=value) with '*' wildcards and (&(..)(..)); (objectClass=*) matches every
 * entry. ldap_replace changes the entries in memory until close. "unreachable": true makes
 * ldap_connect fail with SP_ERR_IO, "refuse_bind": true with SP_ERR_ACCESS (invalid
 * credentials), "read_only": true makes ldap_replace fail with SP_ERR_ACCESS (insufficient
 * access rights). Without "ldap" there is no LDAP server (SP_ERR_IO). "sids" maps SIDs to
 * account names for sid_lookup: {"S-1-5-20": "NT AUTHORITY\\NETWORK SERVICE"}.
 *
 * "events" are the event logs event_query reads: {"System": [{"source": "NtFrs", "id": 13568,
 * "type": "error"|"warning"|"information" (default error), "age_hours": n (default 0)}]}; a log
 * the profile does not name is SP_ERR_NOTFOUND. "disks" are the volumes disk_space reports:
 * {"C:": {"free_mb": n, "total_mb": n}}; another drive or a UNC path is SP_ERR_NOTFOUND.
 * "event_read_ms" (0-60000): reading one event log takes that long, so a page shows its scan.
 *
 * Returns SP_ERR_BADDATA with a message naming the key in err when the profile is
 * malformed, SP_ERR_INVALID for bad arguments, or the host's status when the files
 * cannot be created. Use from one thread at a time. Close with sp_sys_close. */
sp_status sp_sim_open(const char *json, size_t len, sp_sys *host, const char *root, sp_sys **out,
                      char *err, size_t errlen);

/* The profile's "name" ("" when it has none), e.g. for the demo's title. */
const char *sp_sim_profile_name(const sp_sys *sim);

/* The host path a Windows path maps to (without case resolution); SP_ERR_INVALID for a
 * relative path, a ".." component or a buffer that is too small. */
sp_status sp_sim_host_path(sp_sys *sim, const char *winpath, char *out, size_t outlen);

#endif
