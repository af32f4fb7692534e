/* The simulated machine: a Windows server described by a JSON profile, its files kept on a host. */
#ifndef SP_SIM_H
#define SP_SIM_H

#include <stddef.h>

#include "core/base/status.h"
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
 * written unless it exists (a string, or {"text": ..., "utf16": true, "mtime": Unix seconds,
 * "size": bytes file_stat reports while the file is as written, for a large file). <root>/.sim-seeded lists what was written, so an entry is
 * written once per root: a file a run changed or deleted stays so in the next run
 * (delete root to start afresh).
 *
 * The rest of what a run changes is kept in <root>/.sim-state.json (schema
 * "sourceprep-sim-state/1", beside the drives, invisible to the simulated machine), written
 * atomically after each change: the registry, the services' states, the directory's entries,
 * the installed updates, the clock W32Time stepped and the restarts. The next open of the same
 * root loads it, so that a sequence of runs behaves like one server; a root without it is the
 * pristine profile. The file names the SHA-256 of the profile it belongs to: one saved from
 * another profile, or a damaged one, fails the open with SP_ERR_BADDATA (never ignored).
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
 * machine; without it both views read "registry". A service defaults to running/auto.
 * A process entry may say "timeout": true to make proc_run report SP_ERR_TIMEOUT, and
 * "line_delay_ms": n to make proc_run_lines wait n ms before each line of its output (so
 * progress and Stop can be watched). A file's content is a string, or an object
 * {"text": "...", "utf16": true, "mtime": 1709420400}: "utf16" writes the text as UTF-16LE
 * with a byte-order mark (Windows' "Unicode" logs), "mtime" sets its last-modified time
 * (Unix seconds) when it is seeded. "io_delay_ms": n makes every file_read_at wait n ms first,
 * a slow disk (the demo's drill then runs long enough to be watched).
 * With "admin": false, HKLM writes and service control fail with SP_ERR_ACCESS.
 * A service may say "stop_ms"/"start_ms" (0-60000): stopping or starting it takes that long.
 *
 * "ntp": {"host": {"offset_ms": n, "delay_ms": n, "stratum": n, "leap": n, "reply": r}} are
 * the NTP servers udp_exchange answers for (by host name, any port): offset_ms is their clock
 * minus this server's (default 0), delay_ms the round trip (30), stratum 2, leap 0; reply
 * "ntp" (default), "garbage" (bytes that are not NTP) or "none" (SP_ERR_TIMEOUT). Another
 * host is SP_ERR_NOTFOUND. "w32time_sync_ms": when W32Time starts with Parameters\Type NT5DS,
 * it steps this server's clock by that much, once: every peer's offset shrinks by it.
 * "w32tm /resync" (when the profile lists it, exit 0) with Parameters\Type NTP sets the clock to
 * NtpServer's first peer, unless Config\MaxPos/NegPhaseCorrection (seconds) is smaller.
 * time_zone reads StandardName and Bias under HKLM\SYSTEM\CurrentControlSet\Control\
 * TimeZoneInformation (SP_ERR_NOTFOUND without them), and StandardBias, DaylightBias,
 * StandardStart, DaylightStart (16-byte binary SYSTEMTIMEs) and TimeZoneKeyName where given.
 *
 * "dns": {"listen": ["192.168.16.2", "127.0.0.1"], "zones": ["fabrikam.local"], "records":
 * {"name": {"A": ["a.b.c.d"], "SRV": ["prio weight port target"], "NS": ["name"], "CNAME":
 * "name"}}, "recursion": r} is the DNS server udp_exchange answers on port 53 of the listed
 * addresses (another address: SP_ERR_TIMEOUT). A name in a zone gets its records (a CNAME
 * followed once), NODATA or NXDOMAIN with the zone's SOA, and the zone's SOA at its apex; any
 * other name is recursion: r "answer" (default: an NS record for any name, NXDOMAIN for other
 * types), "servfail", "refused", "none" (no reply) or "root_zone" (answers authoritatively, as
 * a server holding a root zone: NXDOMAIN outside its zones).
 *
 * "ldap" is the directory the LDAP operations see: {"entries": {DN: {attribute: "value" or
 * ["v1", "v2"]}}}, the DN "" being the rootDSE (give it "defaultNamingContext"). Searches
 * understand (attr=value) with '*' wildcards and (&(..)(..)); (objectClass=*) matches every
 * entry. ldap_replace changes the entries (kept with the rest of the state). "unreachable": true makes
 * ldap_connect fail with SP_ERR_IO, "refuse_bind": true with SP_ERR_ACCESS (invalid
 * credentials), "read_only": true makes ldap_replace fail with SP_ERR_ACCESS (insufficient
 * access rights). "servers": {"host:port" or "host": DIRECTORY} gives other LDAP servers their
 * own directories (each with its own "entries" and flags, issue 18: undo goes to the server
 * that was changed); any other host is "ldap" itself. Without "ldap" there is no LDAP server (SP_ERR_IO). "sids" maps SIDs to
 * account names for sid_lookup: {"S-1-5-20": "NT AUTHORITY\\NETWORK SERVICE"}.
 * "http": {"proxy": "host:port" or "", "urls": {"https://x/y": ANSWER}} gives http_get's answer
 * per URL (compared without case); ANSWER is {"status": 401, "auth": "Basic realm=\"x\"; NTLM",
 * "curl_code": 0, "error": "curl's message", "cert": {"subject": "CN=x", "issuer": "CN=ca",
 * "names": "DNS:x", "expires": Unix seconds, "trusted": bool, "chain_ok": bool (defaults to
 * trusted)}}, every member optional. Any other URL answers curl_code 6, "Could not resolve host".
 *
 * "updates" are what the Windows Update Agent finds missing: [{"title": "...", "kb":
 * "KB958644", "category": "critical" | "security" | "other" (default), "size": bytes,
 * "install_result": "succeeded" (default) | "succeeded_with_errors" | "failed" | "aborted",
 * "hresult": "0x80240022" (a failure's error), "reboot": true}], given the ids sim-update-1,
 * -2, ... in order. Only the criteria "IsInstalled=0 and Type='Software'" is understood. An
 * update that installs is no longer found; one with "reboot" creates the key
 * WindowsUpdate\Auto Update\RebootRequired. "wua": {"search_hresult": h, "install_hresult": h} makes
 * wua_search or wua_install fail with that HRESULT (SP_ERR_IO), "install_ms": n makes each
 * update take n ms to install (0-60000). An update's "offered_by": ["wsus", "windows_update",
 * "microsoft_update"] (default all three) says which services know it: a search of the configured
 * source asks the WSUS when the policy (WindowsUpdate\WUServer, AU\UseWUServer = 1) names one,
 * else Windows Update. "wua": {"wsus_hresult": h} fails the WSUS, {"direct_hresult": h} fails
 * the direct searches (no Internet), {"microsoft_update": false} fails a Microsoft Update search
 * with WU_E_DS_UNKNOWNSERVICE (not registered). An installed update with a "kb" leaves its
 * Component Based Servicing package (CurrentState 0x70). restart fails with SP_ERR_ACCESS without "admin";
 * otherwise it counts the restart and clears what a restart clears: the RebootRequired and
 * Component Based Servicing\RebootPending keys and Session Manager's
 * PendingFileRenameOperations(2), Updates\UpdateExeVolatile, and a pending computer rename
 * (ActiveComputerName takes ComputerName's). program_path is C:\Program Files\SourcePrep\sourceprep.exe
 * (a small stand-in file is written there on first ask, so that the step can copy it).
 *
 * "events" are the event logs event_query reads: {"System": [{"source": "NtFrs", "id": 13568,
 * "type": "error"|"warning"|"information" (default error), "age_hours": n (default 0)}]}; a log
 * the profile does not name is SP_ERR_NOTFOUND, a log given as "unreadable" instead of a list
 * exists but fails to read (SP_ERR_ACCESS). "disks" are the volumes disk_space reports:
 * {"C:": {"free_mb": n, "total_mb": n}}; another drive or a UNC path is SP_ERR_NOTFOUND.
 * "event_read_ms" (0-60000): reading one event log takes that long, so a page shows its scan.
 * "net_shares" is what share_enum (NetShareEnum) serves: [{"name": "Users", "path": "D:\\Users",
 * "type": 0}], or a string: share_enum fails with that message (SP_ERR_ACCESS). Without it,
 * share_enum serves what the registry's LanmanServer\Shares lists, as the Server service does.
 * "sql" is what sql_files reads from the SQL Server instances over ODBC: {"MSSQLSERVER":
 * [{"database": "GP", "file": "D:\\SQL\\GP.mdf", "size_mb": 1200}], "ACT7": "message"}, keyed
 * by instance name (the default one MSSQLSERVER); a string makes the connection fail with that
 * message. An instance it does not name, or whose service (MSSQLSERVER, MSSQL$NAME) is not
 * running, fails as the driver does when no server answers (SP_ERR_IO).
 *
 * Returns SP_ERR_BADDATA with a message naming the key in err when the profile is
 * malformed, SP_ERR_INVALID for bad arguments, or the host's status when the files
 * cannot be created. Use from one thread at a time. Close with sp_sys_close. */
sp_status sp_sim_open(const char *json, size_t len, sp_sys *host, const char *root, sp_sys **out,
                      char *err, size_t errlen);

/* sp_sim_open that also says, in *state_problem (may be NULL), whether it failed on the saved
 * state of root rather than on the profile or the folders. */
sp_status sp_sim_open_ex(const char *json, size_t len, sp_sys *host, const char *root, sp_sys **out,
                         char *err, size_t errlen, int *state_problem);

/* The profile's "name" ("" when it has none), e.g. for the demo's title. */
const char *sp_sim_profile_name(const sp_sys *sim);

/* How many times restart was called on this machine. */
unsigned sp_sim_restarts(const sp_sys *sim);

/* The host path a Windows path maps to (without case resolution); SP_ERR_INVALID for a
 * relative path, a ".." component or a buffer that is too small. */
sp_status sp_sim_host_path(sp_sys *sim, const char *winpath, char *out, size_t outlen);

#ifdef SP_FAULT_INJECTION
/* Fault injection, built into test builds only (-DSP_FAULT_INJECTION, never the exes). Every
 * write the sim makes (file_write_atomic, file_move, file_delete, dir_create, reg_set,
 * reg_delete_value, ldap_replace) is counted from 1 after this call; the write number `at`
 * then either fails without effect (SP_SIM_FAULT_FAIL, SP_ERR_IO; later writes go on) or is
 * made, after which every write fails as if the process had been killed (SP_SIM_FAULT_KILL):
 * what was written so far stays, like the disk, registry and directory of a real server.
 * SP_SIM_FAULT_NONE (or at 0) turns the hook off and brings the "process" back. */
typedef enum { SP_SIM_FAULT_NONE = 0, SP_SIM_FAULT_FAIL, SP_SIM_FAULT_KILL } sp_sim_fault_mode;
void sp_sim_fault_set(sp_sys *sim, unsigned at, sp_sim_fault_mode mode);
/* The writes counted since sp_sim_fault_set, including refused ones. */
unsigned sp_sim_fault_writes(const sp_sys *sim);
/* Whether a SP_SIM_FAULT_KILL has struck. */
int sp_sim_fault_killed(const sp_sys *sim);
#endif

#endif
