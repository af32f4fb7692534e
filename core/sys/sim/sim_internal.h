/* The sim's in-memory model, shared by its profile parser, its registry and its operations. */
#ifndef SP_SIM_INTERNAL_H
#define SP_SIM_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "core/base/status.h"
#include "core/sys/fault.h"
#include "core/sys/sys.h"

struct cJSON;

typedef struct {
    char *name; /* "" is the key's default value */
    sp_reg_type type;
    unsigned char *data; /* never NULL, even when size is 0 */
    size_t size;
    int utf16; /* a string type written by reg_set_raw: data is its UTF-16LE bytes, else UTF-8 */
} sim_regvalue;

typedef struct {
    char *path; /* normalised: "HKLM\\SOFTWARE\\X", no empty components */
    sim_regvalue *values;
    size_t count, cap;
} sim_regkey;

/* A flat list of the keys that were named; their parents exist implicitly. */
typedef struct {
    sim_regkey *keys;
    size_t count, cap;
} sim_registry;

typedef struct {
    char *name;
    char *display; /* "display", or NULL */
    char *image;   /* "image", or NULL: svc_enum reports "" */
    sp_svcinfo info;
    unsigned stop_ms, start_ms; /* how long a stop or a start takes ("stop_ms", "start_ms") */
} sim_service;

/* An NTP server the sim answers for (the profile's "ntp" object, keyed by host name). */
typedef struct {
    char *host;
    int64_t offset_us; /* its clock minus this server's clock */
    int64_t delay_us;  /* round trip */
    unsigned stratum, leap;
    int reply;         /* SIM_NTP_REPLY_* */
} sim_ntp_peer;

enum { SIM_NTP_REPLY_NTP = 0, SIM_NTP_REPLY_GARBAGE, SIM_NTP_REPLY_NONE };

typedef struct {
    char **argv; /* argc strings */
    size_t argc;
    int exit_code;
    char *output;
    size_t output_len;
    int times_out; /* "timeout": true makes proc_run report SP_ERR_TIMEOUT */
    unsigned line_delay_ms; /* proc_run_lines waits this long before each line */
} sim_process;

typedef struct {
    char *path; /* Windows path */
    char *content;
    size_t size;
    int64_t mtime; /* 0: the time it is written */
    uint64_t stat_size; /* "size": what file_stat says while the file is as seeded; 0: its own */
} sim_seedfile;

/* An HTTP answer the sim gives for one URL (profile key "http"). */
typedef struct {
    char *url;
    sp_http_response answer;
} sim_http_peer;
/* An update the sim's agent knows (the profile's "updates"). */
typedef struct {
    char *id, *title, *kb;
    sp_update_class cls;
    uint64_t size;
    int result;       /* OperationResultCode its installation gives (2 succeeded) */
    uint32_t hresult; /* its error when it fails */
    int reboot;       /* installing it needs a restart */
    int installed;
    unsigned offered; /* "offered_by": SIM_OFFER_* bits, which services know it */
} sim_update;
#define SIM_OFFER_WSUS 1u
#define SIM_OFFER_WU 2u
#define SIM_OFFER_MU 4u

#define SIM_FOLDER_COUNT 3

struct cJSON;

typedef struct {
    char *name;
    sp_osinfo os;
    int admin;
    int has_now;
    int64_t now;
    unsigned io_delay_ms; /* file_read_at waits this long per call: a slow disk */
    char *folders[SIM_FOLDER_COUNT]; /* indexed by sp_folder */
    sim_registry reg;   /* "registry": the default and 64-bit views */
    sim_registry reg32; /* "registry32", when has_reg32 */
    int has_reg32;
    sim_service *services;
    size_t service_count;
    sim_process *processes;
    size_t process_count;
    sim_seedfile *files;
    size_t file_count;
    sim_ntp_peer *ntp;
    size_t ntp_count;
    int64_t w32time_sync_us; /* "w32time_sync_ms": the step W32Time makes when it starts */
    struct cJSON *ldap; /* "ldap": the directory, changed in memory by ldap_replace */
    struct cJSON *sids; /* "sids": SID to account name */
    sim_http_peer *http;
    size_t http_count;
    char *http_proxy; /* "" direct */
    struct cJSON *http_dns; /* "http"."dns": host to its addresses (issue 16) */
    sim_update *updates; /* "updates" */
    size_t update_count;
    uint32_t wua_search_hr, wua_install_hr; /* "wua": the agent's failures */
    unsigned wua_install_ms;                /* "wua": how long one update takes to install */
    uint32_t wua_direct_hr;                 /* "wua": direct searches (no Internet) fail so */
    int wua_no_mu;                          /* "wua": Microsoft Update is not registered */
    uint32_t wua_wsus_hr;                   /* "wua": the WSUS the policy names fails so */
    unsigned restarts;                      /* how often restart was called */
    struct cJSON *events; /* "events": event logs by name (sim_health.c) */
    struct cJSON *disks;  /* "disks": volumes by drive (sim_health.c) */
    unsigned event_read_ms; /* "event_read_ms": how long reading one event log takes */
    struct cJSON *security; /* "security": owners and permissions by path (sim_security.c) */
    struct cJSON *dns;      /* "dns": the DNS server udp_exchange answers on port 53 (sim_dns.c) */
    struct cJSON *net_shares; /* "net_shares": what NetShareEnum serves (sim_shares.c) */
    struct cJSON *sql;        /* "sql": the SQL Server instances' user databases (sim_sql.c) */
} sim_profile;

/* Waits ms milliseconds: a simulated service takes as long to stop as its profile says. */
void sim_sleep_ms(unsigned ms);
/* A test's hold on slow work: while C:\SourcePrepTest\hold-<name> exists on the simulated
 * server, waits (a minute at most), so a GUI test sees the work in progress for certain. */
void sim_hold(sp_sys *sys, const char *name);

/* Small portable helpers: mingw's msvcrt has no strcasecmp or strndup. */
int sim_ascii_casecmp(const char *a, const char *b);
int sim_ascii_ncasecmp(const char *a, const char *b, size_t n);
char *sim_strndup(const char *s, size_t n);
char *sim_strdup(const char *s);
/* Copies s into a fixed buffer, cutting at a UTF-8 character boundary when it must. */
void sim_copy_truncated(char *dst, size_t dstlen, const char *s);

/* Maps a Windows path to root + sep + "C" or "UNC" + components; SP_ERR_INVALID for a
 * relative path, a ".." component or a character Windows forbids; *out is heap. */
sp_status sim_map_path(const char *root, char sep, const char *winpath, char **out);

/* Registry model (sim_registry.c). */
/* Normalises "HKEY_LOCAL_MACHINE\\A\\\\B\\" to "HKLM\\A\\B"; NULL for an unknown root. */
char *sim_reg_normalize_key(const char *key);
sim_regkey *sim_reg_find_key(sim_registry *reg, const char *normalized);
sp_status sim_reg_add_key(sim_registry *reg, const char *normalized, sim_regkey **out);
/* Stores a copy of data under name, replacing a value of the same name (any case). */
sp_status sim_reg_put_value(sim_regkey *key, const char *name, sp_reg_type type,
                            const void *data, size_t size);
void sim_reg_free(sim_registry *reg);

/* Profile (sim_profile.c). */
sp_status sim_profile_parse(const char *json, size_t len, sim_profile *out, char *err,
                            size_t errlen);
void sim_profile_free(sim_profile *p);

/* HTTP (sim_http.c): parses the profile's "http" object; err names the bad key. */
sp_status sim_http_parse(const struct cJSON *obj, sim_profile *p, char *err, size_t errlen);
void sim_http_free(sim_profile *p);
sp_status sim_http_get(sp_sys *sys, const sp_http_request *req, sp_http_response *out);
/* The addresses of "http"."dns"; a name it does not list does not resolve. */
sp_status sim_dns_resolve(sp_sys *sys, const char *host, char (*addrs)[64], size_t cap, size_t *count);

/* Shares (sim_shares.c): the profile's "net_shares"; share_enum of the sim's table. */
sp_status sim_shares_parse(const struct cJSON *item, sim_profile *p, char *err, size_t errlen);
void sim_shares_free(sim_profile *p);
sp_status sim_share_enum(sp_sys *sys, sp_share_cb cb, void *user);
/* SQL Server (sim_sql.c): the profile's "sql"; sql_files of the sim's table. */
sp_status sim_sql_parse(const struct cJSON *item, sim_profile *p, char *err, size_t errlen);
sp_status sim_sql_files(sp_sys *sys, const char *instance, sp_sql_file_cb cb, void *user);

/* The registry operations of the sim's table; sys->impl is the sim machine. */
sim_registry *sim_machine_view(sp_sys *sys, sp_reg_view view);
sp_status sim_reg_get(sp_sys *sys, sp_reg_view view, const char *key, const char *value,
                      sp_regval *out);
sp_status sim_reg_set(sp_sys *sys, sp_reg_view view, const char *key, const char *value,
                      const sp_regval *val);
sp_status sim_reg_get_raw(sp_sys *sys, sp_reg_view view, const char *key, const char *value,
                          sp_regval *out);
sp_status sim_reg_set_raw(sp_sys *sys, sp_reg_view view, const char *key, const char *value,
                          const sp_regval *val);
sp_status sim_reg_delete_value(sp_sys *sys, sp_reg_view view, const char *key,
                               const char *value);
sp_status sim_reg_enum_keys(sp_sys *sys, sp_reg_view view, const char *key, sp_name_cb cb,
                            void *user);
sp_status sim_reg_enum_values(sp_sys *sys, sp_reg_view view, const char *key, sp_name_cb cb,
                              void *user);

/* The machine's profile, for the operations kept in their own files. */
sim_profile *sim_machine_profile(sp_sys *sys);

/* LDAP and SIDs (sim_ldap.c): the profile's "ldap" and "sids". */
sp_status sim_ldap_parse(const struct cJSON *ldap, const struct cJSON *sids, sim_profile *p,
                         char *err, size_t errlen);
sp_status sim_ldap_connect(sp_sys *sys, const sp_ldap_target *target, sp_ldap_conn **out);
sp_status sim_ldap_search(sp_sys *sys, sp_ldap_conn *conn, const char *base, int subtree,
                          const char *filter, const char *const *attrs, sp_ldap_entry_cb cb,
                          void *user);
sp_status sim_ldap_replace(sp_sys *sys, sp_ldap_conn *conn, const char *dn, const char *attr,
                           const char *value);
void sim_ldap_close(sp_sys *sys, sp_ldap_conn *conn);
sp_status sim_sid_lookup(sp_sys *sys, const char *sid, char *out, size_t outlen);

/* Windows Update Agent and restart (sim_updates.c): the profile's "updates" and "wua". */
sp_status sim_updates_parse(const struct cJSON *updates, const struct cJSON *wua, sim_profile *p,
                            char *err, size_t errlen);
void sim_updates_free(sim_profile *p);
sp_status sim_wua_search(sp_sys *sys, sp_wua_source source, const char *criteria,
                         sp_update_cb cb, void *user, volatile long *cancel, uint32_t *hresult);
sp_status sim_wua_install(sp_sys *sys, sp_wua_source source, const char *const *ids, size_t count,
                          sp_update_progress_cb progress, sp_update_result_cb result, void *user,
                          volatile long *cancel, uint32_t *hresult);
sp_status sim_restart(sp_sys *sys, const char *reason);
sp_status sim_program_path(sp_sys *sys, char *out, size_t outlen);
/* Event logs and volumes (sim_health.c): the profile's "events" and "disks". */
sp_status sim_health_parse(const struct cJSON *events, const struct cJSON *disks,
                           const struct cJSON *read_ms, sim_profile *p, char *err, size_t errlen);
sp_status sim_event_query(sp_sys *sys, const char *log, int64_t since, sp_event_cb cb,
                          void *user);
sp_status sim_disk_space(sp_sys *sys, const char *path, uint64_t *free_bytes,
                         uint64_t *total_bytes);

/* A seeded file with a "size" of its own reports it in out while its bytes are the seeded ones
 * (sim_profile_world.c). */
void sim_seed_stat_size(const sim_profile *p, const char *path, sp_filestat *out);

/* One simulated machine: sys->impl of the sim backend. */
typedef struct {
    sim_profile prof; /* first: sim_http.c reads the profile through sys->impl */
    sp_sys *host; /* not owned */
    char *root;
    char sep;
    /* On a case-sensitive host, look up existing names whatever their case, as Windows does. */
    int fold_case;
    /* How far W32Time has stepped this server's clock: every NTP peer is that much nearer. */
    int64_t clock_step_us;
    /* Where the changes of a run are kept for the next one (sim_state.c), and the SHA-256 of
     * the profile they belong to. */
    char *state_path;
    char profile_sha256[65];
#ifdef SP_FAULT_INJECTION
    /* Test builds only (sp_sim_fault_set): the write that fails or after which the "process"
     * is dead, counted from 1 over every write since the hook was set. */
    sp_fault fault;
#endif
} sim_machine;

/* The simulated clock (the profile's "now", or the host's). */
int64_t sim_time_now(sp_sys *sys);
/* sim_net.c: NTP peers from the profile's "ntp", the zone from its registry. */
sp_status sim_udp_exchange(sp_sys *sys, const char *host, unsigned port, const void *req,
                           size_t reqlen, unsigned timeout_ms, unsigned char *reply,
                           size_t replycap, size_t *replylen, int64_t *sent_us,
                           int64_t *received_us);
sp_status sim_time_zone(sp_sys *sys, sp_timezone *out);
/* sim_dns.c: the profile's "dns", and the answer to one query sent to host on port 53. */
sp_status sim_dns_parse(const struct cJSON *dns, sim_profile *p, char *err, size_t errlen);
sp_status sim_dns_answer(sp_sys *sys, const char *host, const unsigned char *req, size_t reqlen,
                         unsigned timeout_ms, unsigned char *reply, size_t replycap,
                         size_t *replylen);
/* "w32tm /resync": steps the clock to Parameters\\NtpServer's peer when Type is NTP. */
void sim_w32tm_resync(sp_sys *sys);

/* Data folder safety (sim_security.c, issue 18): the profile's "security", and what it says
 * about a path on top of the host's answer. */
sp_status sim_security_parse(const struct cJSON *security, sim_profile *p, char *err, size_t errlen);
void sim_security_apply(const sim_profile *p, const char *winpath, sp_pathsec *sec);

/* The changes kept between runs (sim_state.c, issue 21): <root>\.sim-state.json. */
#define SIM_STATE_FILE ".sim-state.json"
/* Names the state file and loads what an earlier run of the profile json (len bytes) saved there
 * onto the freshly parsed profile; none is the pristine profile. A damaged state, or one saved
 * from another profile, is SP_ERR_BADDATA with err saying what is wrong and what to do. */
sp_status sim_state_open(sp_sys *sys, const char *json, size_t len, char *err, size_t errlen);
/* Saves the machine's changeable state atomically; a failure is the op's error. */
sp_status sim_state_save(sp_sys *sys);

#endif
