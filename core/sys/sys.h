/* The seam between the steps and the operating system: one table of operations, two backends. */
#ifndef SP_SYS_H
#define SP_SYS_H

#include <stddef.h>
#include <stdint.h>

#include "core/base/status.h"

/* Registry views: the native view and, on 64-bit Windows, the other one. */
typedef enum {
    SP_REG_VIEW_DEFAULT = 0,
    SP_REG_VIEW_64 = 1,
    SP_REG_VIEW_32 = 2
} sp_reg_view;

typedef enum {
    SP_REG_NONE = 0,
    SP_REG_SZ = 1,
    SP_REG_EXPAND_SZ = 2,
    SP_REG_BINARY = 3,
    SP_REG_DWORD = 4,
    SP_REG_MULTI_SZ = 7,
    SP_REG_QWORD = 11
} sp_reg_type;

/* A registry value. String types hold UTF-8 in data (NUL-terminated; MULTI_SZ as
 * a double-NUL list); other types hold the raw bytes. */
typedef struct {
    sp_reg_type type;
    unsigned char *data; /* heap, owned */
    size_t size;
} sp_regval;

typedef struct {
    unsigned major, minor, build;
    unsigned sp_major, sp_minor;
    unsigned product_type;  /* 1 workstation, 2 domain controller, 3 server */
    unsigned suite_mask;    /* VER_SUITE_* bits */
    unsigned product_info;  /* GetProductInfo value, 0 before Vista */
    char csd[64];           /* "Service Pack 2" or "" */
    char product_name[128]; /* ProductName from the registry */
    char arch[8];           /* "x86" or "x64" */
    char computer[64];      /* NetBIOS computer name */
    char domain[256];       /* DNS domain name, "" outside a domain */
    unsigned ui_language;   /* GetSystemDefaultUILanguage (0x0407 German), 0 when unknown:
                             * the language wbadmin, NTBackup and w32tm write their text in */
} sp_osinfo;

typedef struct {
    int exists;
    int is_dir;
    uint64_t size;
    int64_t mtime; /* Unix seconds, UTC */
} sp_filestat;

typedef enum {
    SP_SVC_UNKNOWN = 0,
    SP_SVC_STOPPED = 1,
    SP_SVC_START_PENDING = 2,
    SP_SVC_STOP_PENDING = 3,
    SP_SVC_RUNNING = 4,
    SP_SVC_PAUSED = 7
} sp_svc_state;

typedef enum {
    SP_SVC_START_BOOT = 0,
    SP_SVC_START_SYSTEM = 1,
    SP_SVC_START_AUTO = 2,
    SP_SVC_START_DEMAND = 3,
    SP_SVC_START_DISABLED = 4
} sp_svc_start;

typedef struct {
    sp_svc_state state;
    sp_svc_start start_type;
} sp_svcinfo;

/* The current time zone: its standard-time name ("Pacific Standard Time") and its bias in
 * minutes (UTC = local time + bias; 480 for Pacific). */
typedef struct {
    char standard_name[128];
    int bias_minutes;
    /* The rule (issue 16): what TIME_ZONE_INFORMATION holds beside the names. The dates are a
     * SYSTEMTIME's eight fields; standard_date[1] (the month) 0 means no daylight saving. */
    int standard_bias, daylight_bias;
    uint16_t standard_date[8], daylight_date[8];
    char key_name[128]; /* TimeZoneKeyName (Vista and later); "" where Windows has none */
} sp_timezone;

typedef enum {
    SP_FOLDER_PROGRAMDATA = 0, /* All Users application data */
    SP_FOLDER_TEMP = 1,
    SP_FOLDER_WINDOWS = 2
} sp_folder;

/* Receives one directory entry; return nonzero to stop the enumeration. */
typedef int (*sp_dir_cb)(void *user, const char *name, int is_dir);
/* Receives one registry subkey or value name; return nonzero to stop. */
typedef int (*sp_name_cb)(void *user, const char *name);
/* Receives one line of a running program's output (UTF-8, line end removed); return nonzero to
 * stop the program. */
typedef int (*sp_line_cb)(void *user, const char *line);

/* One installed service as svc_enum reports it; the strings live only during the callback. */
typedef struct {
    const char *name;    /* the service (key) name */
    const char *display; /* display name, "" when none */
    const char *image;   /* ImagePath as configured (may be quoted, carry arguments, use %vars%) */
    sp_svc_state state;
    sp_svc_start start_type;
} sp_svc_entry;

/* Receives one service; return nonzero to stop the enumeration. */
typedef int (*sp_svc_cb)(void *user, const sp_svc_entry *svc);

/* One event log record as event_query reports it; source lives only during the callback. */
typedef struct {
    const char *source; /* the event source, "NtFrs" */
    unsigned id;        /* the event ID without its severity and facility bits (13568) */
    unsigned type;      /* EVENTLOG_* value: 1 error, 2 warning, 4 information, 8/16 audit */
    int64_t time;       /* when it was generated, Unix seconds UTC */
} sp_event;

/* Receives one event record; return nonzero to stop. */
typedef int (*sp_event_cb)(void *user, const sp_event *ev);

typedef struct sp_sys sp_sys;

/* One share the Server service serves, as share_enum reports it (issue 15); the strings live
 * only during the callback. type is the share's STYPE_* value: 0 a disk share, 1 a print
 * queue, 3 IPC; 0x80000000 marks an administrative share (C$, ADMIN$), 0x40000000 a
 * temporary one. */
typedef struct {
    const char *name;
    const char *path; /* the local path ("D:\\Users"), "" when it has none */
    uint32_t type;
} sp_share;

/* Receives one share; return nonzero to stop. */
typedef int (*sp_share_cb)(void *user, const sp_share *share);

/* One file of a user database as sql_files reports it (issue 16); the strings live only during
 * the callback. */
typedef struct {
    const char *database;
    const char *file; /* its physical path ("D:\\SQL\\GP.mdf") */
    uint64_t size;    /* bytes */
} sp_sql_file;

/* Receives one database file; return nonzero to stop. */
typedef int (*sp_sql_file_cb)(void *user, const sp_sql_file *f);

/* Who owns a file or folder and who may do what to it (issue 18: the data folder). SIDs are in
 * their string form ("S-1-5-32-544"); masks are Windows access masks. */
#define SP_PATHSEC_MAX_ACES 32
typedef struct {
    int allow;       /* 1 an allowing ACE, 0 a denying one (or another type) */
    unsigned flags;  /* ACE flags: 0x08 inherit-only, 0x10 inherited, ... */
    uint32_t mask;
    char sid[96];
} sp_ace;

typedef struct {
    int exists;
    int is_dir;
    int reparse;      /* a junction, symbolic link or another reparse point (a symlink on posix) */
    int has_dacl;     /* 0: no DACL at all, which lets everyone do everything */
    char owner[96];
    char self[96];    /* the account this program runs as */
    size_t ace_count;
    int aces_truncated; /* more ACEs than aces[] holds */
    sp_ace aces[SP_PATHSEC_MAX_ACES];
} sp_pathsec;

/* Where LDAP is: host NULL or "" means this domain controller (localhost, port 389) with
 * the logged-on account (negotiate); otherwise host and port (0: 389) as user, with Negotiate
 * signed and sealed (DOMAIN\\user or user@realm), or on port 636 a simple bind inside LDAPS
 * (also a DN), with password; never a simple bind in clear text. */
typedef struct {
    const char *host;
    unsigned port;
    const char *user;
    const char *password;
} sp_ldap_target;

typedef struct sp_ldap_conn sp_ldap_conn;

/* One attribute of an entry found by ldap_search; values are UTF-8. */
typedef struct {
    const char *name;
    const char *const *values;
    size_t count;
} sp_ldap_attr;

/* Receives one entry; return nonzero to stop. */
typedef int (*sp_ldap_entry_cb)(void *user, const char *dn, const sp_ldap_attr *attrs,
                                size_t count);
/* An HTTPS GET. The certificate is verified against the system's trusted roots (or ca_file);
 * when that fails the facts are still fetched without verification, so a caller can say why. */
typedef struct {
    const char *url;
    unsigned timeout_ms;     /* whole transfer; connecting is bounded by it too */
    const char *ca_file;     /* PEM file of extra trusted roots (tests), NULL: the system's */
    volatile long *cancel;   /* nonzero stops the transfer; may be NULL */
} sp_http_request;

typedef struct {
    long status;               /* HTTP status, 0 when no answer came */
    char auth[256];            /* the WWW-Authenticate headers, joined with "; " */
    int curl_code;             /* of the verified request: 0 ok, 60 untrusted, 28 timeout... */
    char curl_error[256];      /* curl's message for curl_code, "" when 0 */
    int cert_known;            /* the certificate facts below were read */
    char cert_subject[256];
    char cert_issuer[256];
    char cert_names[512];      /* subject alternative names, "DNS:a, IP Address:1.2.3.4"; "" unknown */
    int64_t cert_expires;      /* Unix seconds, 0 unknown */
    int cert_trusted;          /* 1 chains to a trusted root and names the host, 0 not, -1 unknown */
    int cert_chain_ok;         /* 1 chains to a trusted root (name not considered), 0 not, -1 unknown */
    char proxy[256];           /* the proxy used, "" direct */
    /* The root the chain ends in, judged as a machine outside the domain would (issue 16). */
    char cert_root[256];       /* its subject, "" unknown */
    int cert_root_public;      /* 1 in the third-party root programme's store (AuthRoot); 0 not:
                                  only in this machine's, the policy's or the enterprise's stores
                                  (or none), or the domain's CA published in AD; -1 unknown */
    char cert_root_store[200]; /* where it was found ("AuthRoot", "Root", "Enterprise", ...) */
    int cert_san_read;         /* 1: cert_names is the leaf's whole SAN list ("" it has none) */
} sp_http_response;

/* How Windows Update classifies an update (from its categories). */
typedef enum {
    SP_UPDATE_OTHER = 0,    /* optional, feature pack, driver, ... */
    SP_UPDATE_SECURITY = 1, /* "Security Updates" */
    SP_UPDATE_CRITICAL = 2  /* "Critical Updates" (and service packs) */
} sp_update_class;

/* One update the Windows Update Agent reports as not installed; the strings live only
 * during the callback. */
typedef struct {
    const char *id;    /* the agent's UpdateID, what wua_install takes */
    const char *title;
    const char *kb;    /* "KB123456", "" when it names none */
    sp_update_class cls;
    uint64_t size;     /* bytes to download, 0 when unknown */
    int may_reboot;    /* its installation may need a restart */
} sp_update;

/* The outcome of installing one update: result is the agent's OperationResultCode
 * (2 succeeded, 3 succeeded with errors, 4 failed, 5 aborted) and hresult its error. */
typedef struct {
    const char *id, *title, *kb;
    int result;
    uint32_t hresult;
    int reboot_required;
} sp_update_result;

/* Which service the Windows Update Agent asks. */
typedef enum {
    SP_WUA_CONFIGURED = 0,       /* the server's own choice: its WSUS when the policy names one */
    SP_WUA_MICROSOFT_UPDATE = 1, /* Microsoft Update directly (Windows, Exchange, SQL, SharePoint) */
    SP_WUA_WINDOWS_UPDATE = 2    /* Windows Update directly (Windows only) */
} sp_wua_source;
/* The agent's error when the Microsoft Update service is not registered on the machine. */
#define SP_WU_E_DS_UNKNOWNSERVICE 0x80248014u
/* Where the agent's source is set (WUServer here, UseWUServer in its AU subkey), where Component
 * Based Servicing lists the installed packages, and the restart signals Windows leaves. */
#define SP_WU_POLICY_KEY "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate"
#define SP_CBS_PACKAGES_KEY \
    "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Component Based Servicing\\Packages"
#define SP_UPDATES_VOLATILE_KEY "HKLM\\SOFTWARE\\Microsoft\\Updates"
#define SP_COMPUTERNAME_KEY "HKLM\\SYSTEM\\CurrentControlSet\\Control\\ComputerName"

typedef int (*sp_update_cb)(void *user, const sp_update *u);
typedef void (*sp_update_result_cb)(void *user, const sp_update_result *r);
/* permille of the whole download and installation; what is the update in hand. */
typedef void (*sp_update_progress_cb)(void *user, unsigned permille, const char *what);

typedef struct {
    const char *name; /* "win32", "sim", "posix" */
    sp_status (*os_info)(sp_sys *sys, sp_osinfo *out);
    int (*is_admin)(sp_sys *sys);
    int64_t (*time_now)(sp_sys *sys); /* Unix seconds, UTC */
    sp_status (*folder)(sp_sys *sys, sp_folder which, char *out, size_t outlen);

    /* Registry; key is "HKLM\\SOFTWARE\\..." (HKLM, HKCU, HKU, HKCR). */
    sp_status (*reg_get)(sp_sys *sys, sp_reg_view view, const char *key, const char *value,
                         sp_regval *out);
    sp_status (*reg_set)(sp_sys *sys, sp_reg_view view, const char *key, const char *value,
                         const sp_regval *val);
    sp_status (*reg_delete_value)(sp_sys *sys, sp_reg_view view, const char *key,
                                  const char *value);
    sp_status (*reg_enum_keys)(sp_sys *sys, sp_reg_view view, const char *key, sp_name_cb cb,
                               void *user);
    sp_status (*reg_enum_values)(sp_sys *sys, sp_reg_view view, const char *key, sp_name_cb cb,
                                 void *user);

    /* Files; paths are Windows paths ("C:\\...", "\\\\server\\share\\..."). */
    sp_status (*file_read)(sp_sys *sys, const char *path, unsigned char **data, size_t *size);
    sp_status (*file_write_atomic)(sp_sys *sys, const char *path, const void *data, size_t size);
    /* Never replaces: an existing destination gives SP_ERR_EXISTS. */
    sp_status (*file_move)(sp_sys *sys, const char *from, const char *to);
    sp_status (*file_delete)(sp_sys *sys, const char *path);
    /* A missing path is SP_OK with exists = 0. */
    sp_status (*file_stat)(sp_sys *sys, const char *path, sp_filestat *out);
    sp_status (*dir_create)(sp_sys *sys, const char *path); /* with parents */
    sp_status (*dir_enum)(sp_sys *sys, const char *path, sp_dir_cb cb, void *user);

    /* Processes: argv[0] is the program; output is stdout and stderr together. */
    sp_status (*proc_run)(sp_sys *sys, const char *const *argv, unsigned timeout_ms,
                          char **output, size_t *output_len, int *exit_code);

    /* Services. */
    sp_status (*svc_query)(sp_sys *sys, const char *name, sp_svcinfo *out);
    sp_status (*svc_start)(sp_sys *sys, const char *name, unsigned timeout_ms);
    sp_status (*svc_stop)(sp_sys *sys, const char *name, unsigned timeout_ms);

    void (*close)(sp_sys *sys);

    /* Appends to a file, creating it (the log). Each call writes all of data or fails. */
    sp_status (*file_append)(sp_sys *sys, const char *path, const void *data, size_t size);
    /* Network: sends one datagram to host (a name or an IPv4 address) on port, waits up to
     * timeout_ms for one reply from that address and copies at most replycap bytes of it.
     * sent_us and received_us are the local wall clock (microseconds since 1970, UTC) just
     * before the send and just after the receive, as finely as the OS can tell. No reply in
     * time is SP_ERR_TIMEOUT; a name that does not resolve is SP_ERR_NOTFOUND. */
    sp_status (*udp_exchange)(sp_sys *sys, const char *host, unsigned port, const void *req,
                              size_t reqlen, unsigned timeout_ms, unsigned char *reply,
                              size_t replycap, size_t *replylen, int64_t *sent_us,
                              int64_t *received_us);
    /* The current time zone. */
    sp_status (*time_zone)(sp_sys *sys, sp_timezone *out);
    /* Every Win32 service (not drivers), with its image path and start type. */
    sp_status (*svc_enum)(sp_sys *sys, sp_svc_cb cb, void *user);
    /* LDAP (policy): connect and bind; SP_ERR_ACCESS when the bind is refused, SP_ERR_IO
     * when the server cannot be reached. */
    sp_status (*ldap_connect)(sp_sys *sys, const sp_ldap_target *target, sp_ldap_conn **out);
    /* Searches base ("" is the rootDSE) with its subtree or itself only; filter is an LDAP
     * filter; attrs is a NULL-terminated list of the attributes wanted. objectGUID comes in
     * its string form ("3f2504e0-4f89-41d3-9a0c-0305e82c3301"), as DNS names it. */
    sp_status (*ldap_search)(sp_sys *sys, sp_ldap_conn *conn, const char *base, int subtree,
                             const char *filter, const char *const *attrs, sp_ldap_entry_cb cb,
                             void *user);
    /* Replaces every value of attr with value (NULL: removes the attribute). */
    sp_status (*ldap_replace)(sp_sys *sys, sp_ldap_conn *conn, const char *dn, const char *attr,
                              const char *value);
    void (*ldap_close)(sp_sys *sys, sp_ldap_conn *conn);
    /* The account name of a SID ("S-1-5-20" to "NT AUTHORITY\\NETWORK SERVICE");
     * SP_ERR_NOTFOUND when nobody has it. */
    sp_status (*sid_lookup)(sp_sys *sys, const char *sid, char *out, size_t outlen);
    /* HTTP(S) GET with libcurl, honouring the system's proxy settings. SP_OK whenever a
     * request was made, even if it failed: out->curl_code and curl_error say how. */
    sp_status (*http_get)(sp_sys *sys, const sp_http_request *req, sp_http_response *out);
    /* Backup step (issue 3). */
    /* Runs argv like proc_run but hands each output line to cb as the program writes it.
     * The program is stopped, and SP_ERR_CANCELLED returned, when *cancel (optional) turns
     * nonzero or cb returns nonzero. */
    sp_status (*proc_run_lines)(sp_sys *sys, const char *const *argv, unsigned timeout_ms,
                                sp_line_cb cb, void *user, volatile long *cancel,
                                int *exit_code);
    /* Reads up to len bytes of a file from offset; *got is less than len only at its end.
     * Opens the file sharing read, write and delete, so a file in use can still be read. */
    sp_status (*file_read_at)(sp_sys *sys, const char *path, uint64_t offset, void *buf,
                              size_t len, size_t *got);
    /* Sets a file's last-modified time (Unix seconds, UTC). */
    sp_status (*file_set_mtime)(sp_sys *sys, const char *path, int64_t mtime);
    /* Windows Update Agent (updates): searches source with criteria ("IsInstalled=0 and
     * Type='Software'"), one callback per update. On failure *hresult is the agent's error
     * (0 when the failure was not the agent's) and last_error says which call failed. The
     * search runs asynchronously (BeginSearch) and polls cancel (may be NULL): nonzero asks the
     * agent to abort it and gives SP_ERR_CANCELLED, waiting for the agent a bounded time. */
    sp_status (*wua_search)(sp_sys *sys, sp_wua_source source, const char *criteria,
                            sp_update_cb cb, void *user, volatile long *cancel, uint32_t *hresult);
    /* Downloads and installs the updates with these ids (from wua_search of the same source),
     * reporting progress and each update's outcome; polls cancel (nonzero: asks the agent to
     * abort and gives SP_ERR_CANCELLED, waiting for it a bounded time). *hresult as for
     * wua_search. */
    sp_status (*wua_install)(sp_sys *sys, sp_wua_source source, const char *const *ids,
                             size_t count, sp_update_progress_cb progress,
                             sp_update_result_cb result, void *user, volatile long *cancel,
                             uint32_t *hresult);
    /* Restarts the machine (needs the shutdown privilege, which it enables). The sim records
     * the restart and clears what a restart clears. */
    sp_status (*restart)(sp_sys *sys, const char *reason);
    /* The full path of the running program (what RunOnce starts again after a restart). */
    sp_status (*program_path)(sp_sys *sys, char *out, size_t outlen);
    /* Health: the records of an event log ("System", "Directory Service", "File Replication
     * Service", "DFS Replication") generated at or after since, newest first;
     * SP_ERR_NOTFOUND when this server has no such log. */
    sp_status (*event_query)(sp_sys *sys, const char *log, int64_t since, sp_event_cb cb,
                             void *user);
    /* Health: the bytes this account may use and the size of the volume holding path
     * ("C:\\"); SP_ERR_NOTFOUND when there is no such volume. */
    sp_status (*disk_space)(sp_sys *sys, const char *path, uint64_t *free_bytes,
                            uint64_t *total_bytes);
    /* Data folder safety (issue 18). The owner and permissions of path, without following it
     * when it is a reparse point; a missing path is SP_OK with exists = 0. */
    sp_status (*path_security)(sp_sys *sys, const char *path, sp_pathsec *out);
    /* Creates the folder path (its parent must exist) that only SYSTEM and Administrators
     * may use: owner Administrators, a protected DACL giving both full control, inherited by
     * what is created in it. SP_ERR_EXISTS when something of that name exists. */
    sp_status (*dir_create_private)(sp_sys *sys, const char *path);
    /* Email (issue 16): the addresses host resolves to ("192.168.16.2", "::1"), at most cap of
     * them; SP_ERR_NOTFOUND when the name does not resolve. */
    sp_status (*dns_resolve)(sp_sys *sys, const char *host, char (*addrs)[64], size_t cap,
                             size_t *count);
    /* Registry values as the registry stores them (issue 18: undo puts back every byte): string
     * types as their UTF-16LE bytes, unconverted, so a NUL inside a REG_SZ, a lone surrogate or a
     * missing terminator survives; other types as reg_get gives them. reg_set_raw writes the bytes
     * as given. NULL in a backend without a registry. */
    sp_status (*reg_get_raw)(sp_sys *sys, sp_reg_view view, const char *key, const char *value,
                             sp_regval *out);
    sp_status (*reg_set_raw)(sp_sys *sys, sp_reg_view view, const char *key, const char *value,
                             const sp_regval *val);
    /* Backup (issue 15): the shares this server serves, from the Server service itself
     * (NetShareEnum, level 2: needs administrator rights), one callback each. May be NULL (a
     * backend without shares): the caller says so. */
    sp_status (*share_enum)(sp_sys *sys, sp_share_cb cb, void *user);
    /* LOB (issue 16): the files of the user databases (database id over 4: not master, tempdb,
     * model or msdb) of a SQL Server instance on this server ("MSSQLSERVER" the default one, else
     * the instance's name), over ODBC with Windows authentication, from sys.master_files (SQL
     * Server 2005 on) or master..sysaltfiles (2000). SP_ERR_IO when it cannot connect or query,
     * SP_ERR_UNSUPPORTED without ODBC; last_error says why. May be NULL. */
    sp_status (*sql_files)(sp_sys *sys, const char *instance, sp_sql_file_cb cb, void *user);
} sp_sys_ops;

struct sp_sys {
    const sp_sys_ops *ops;
    void *impl;
    char last_error[256]; /* what the last failing operation said, for the user */
};

void sp_regval_free(sp_regval *v);
sp_status sp_regval_set_sz(sp_regval *v, const char *s);
sp_status sp_regval_set_dword(sp_regval *v, uint32_t d);
/* Reads a string value (SZ or EXPAND_SZ) into out; SP_ERR_NOTFOUND when absent. */
sp_status sp_reg_get_string(sp_sys *sys, sp_reg_view view, const char *key, const char *value,
                            char *out, size_t outlen);
sp_status sp_reg_get_dword(sp_sys *sys, sp_reg_view view, const char *key, const char *value,
                           uint32_t *out);
/* Formats a message into sys->last_error and returns status. */
sp_status sp_sys_fail(sp_sys *sys, sp_status status, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
void sp_sys_close(sp_sys *sys);

#endif
