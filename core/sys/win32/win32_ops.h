/* Internal: the operations each win32 backend file implements, gathered into the table by win32.c. */
#ifndef SP_SYS_WIN32_OPS_H
#define SP_SYS_WIN32_OPS_H

#include "core/sys/sys.h"

/* win32_info.c */
sp_status w32_os_info(sp_sys *sys, sp_osinfo *out);
int w32_is_admin(sp_sys *sys);
int64_t w32_time_now(sp_sys *sys);
sp_status w32_folder(sp_sys *sys, sp_folder which, char *out, size_t outlen);

/* win32_reg.c */
sp_status w32_reg_get(sp_sys *sys, sp_reg_view view, const char *key, const char *value,
                      sp_regval *out);
sp_status w32_reg_set(sp_sys *sys, sp_reg_view view, const char *key, const char *value,
                      const sp_regval *val);
sp_status w32_reg_delete_value(sp_sys *sys, sp_reg_view view, const char *key,
                               const char *value);
sp_status w32_reg_enum_keys(sp_sys *sys, sp_reg_view view, const char *key, sp_name_cb cb,
                            void *user);
sp_status w32_reg_enum_values(sp_sys *sys, sp_reg_view view, const char *key, sp_name_cb cb,
                              void *user);

/* win32_file.c */
sp_status w32_file_read(sp_sys *sys, const char *path, unsigned char **data, size_t *size);
sp_status w32_file_append(sp_sys *sys, const char *path, const void *data, size_t size);
sp_status w32_file_write_atomic(sp_sys *sys, const char *path, const void *data, size_t size);
sp_status w32_file_move(sp_sys *sys, const char *from, const char *to);
sp_status w32_file_delete(sp_sys *sys, const char *path);
sp_status w32_file_stat(sp_sys *sys, const char *path, sp_filestat *out);
sp_status w32_dir_create(sp_sys *sys, const char *path);
sp_status w32_dir_enum(sp_sys *sys, const char *path, sp_dir_cb cb, void *user);

/* win32_proc.c */
sp_status w32_proc_run(sp_sys *sys, const char *const *argv, unsigned timeout_ms, char **output,
                       size_t *output_len, int *exit_code);

sp_status w32_proc_run_lines(sp_sys *sys, const char *const *argv, unsigned timeout_ms,
                             sp_line_cb cb, void *user, volatile long *cancel, int *exit_code);

/* win32_chunk.c */
sp_status w32_file_read_at(sp_sys *sys, const char *path, uint64_t offset, void *buf, size_t len,
                           size_t *got);
sp_status w32_file_set_mtime(sp_sys *sys, const char *path, int64_t mtime);

/* win32_svc.c */
sp_status w32_svc_query(sp_sys *sys, const char *name, sp_svcinfo *out);
sp_status w32_svc_start(sp_sys *sys, const char *name, unsigned timeout_ms);
sp_status w32_svc_stop(sp_sys *sys, const char *name, unsigned timeout_ms);

/* win32_net.c */
sp_status w32_udp_exchange(sp_sys *sys, const char *host, unsigned port, const void *req,
                           size_t reqlen, unsigned timeout_ms, unsigned char *reply,
                           size_t replycap, size_t *replylen, int64_t *sent_us,
                           int64_t *received_us);

/* win32_time.c */
sp_status w32_time_zone(sp_sys *sys, sp_timezone *out);
/* win32_svcenum.c */
sp_status w32_svc_enum(sp_sys *sys, sp_svc_cb cb, void *user);
/* win32_ldap.c */
sp_status w32_ldap_connect(sp_sys *sys, const sp_ldap_target *target, sp_ldap_conn **out);
sp_status w32_ldap_search(sp_sys *sys, sp_ldap_conn *conn, const char *base, int subtree,
                          const char *filter, const char *const *attrs, sp_ldap_entry_cb cb,
                          void *user);
sp_status w32_ldap_replace(sp_sys *sys, sp_ldap_conn *conn, const char *dn, const char *attr,
                           const char *value);
void w32_ldap_close(sp_sys *sys, sp_ldap_conn *conn);

/* win32_sid.c */
sp_status w32_sid_lookup(sp_sys *sys, const char *sid, char *out, size_t outlen);
/* win32_proxy.c (with win32_http.c) */
sp_status w32_http_get(sp_sys *sys, const sp_http_request *req, sp_http_response *out);
/* Judges the root of the chain in pem (the server's certificates, leaf first) into out's
 * cert_root fields, and reads the leaf's subject alternative names when curl did not. */
void w32_cert_judge_root(const char *pem, sp_http_response *out);
sp_status w32_reg_get_raw(sp_sys *sys, sp_reg_view view, const char *key, const char *value,
                          sp_regval *out);
sp_status w32_reg_set_raw(sp_sys *sys, sp_reg_view view, const char *key, const char *value,
                          const sp_regval *val);
sp_status w32_dns_resolve(sp_sys *sys, const char *host, char (*addrs)[64], size_t cap, size_t *count);
sp_status w32_share_enum(sp_sys *sys, sp_share_cb cb, void *user);
/* win32_sql.c */
sp_status w32_sql_files(sp_sys *sys, const char *instance, sp_sql_file_cb cb, void *user);

/* win32_wua.c */
sp_status w32_wua_search(sp_sys *sys, sp_wua_source source, const char *criteria,
                         sp_update_cb cb, void *user, volatile long *cancel, uint32_t *hresult);
sp_status w32_wua_install(sp_sys *sys, sp_wua_source source, const char *const *ids, size_t count,
                          sp_update_progress_cb progress, sp_update_result_cb result, void *user,
                          volatile long *cancel, uint32_t *hresult);
sp_status w32_restart(sp_sys *sys, const char *reason);
sp_status w32_program_path(sp_sys *sys, char *out, size_t outlen);
sp_status w32_event_query(sp_sys *sys, const char *log, int64_t since, sp_event_cb cb,
                          void *user);
/* A channel of the Windows Event Log ("Microsoft-Windows-Backup"), with wevtapi.dll looked up
 * at run time; SP_ERR_NOTFOUND on 2003 or when the server has no such channel. */
sp_status w32_evt_query(sp_sys *sys, const char *channel, int64_t since, sp_event_cb cb, void *user);
sp_status w32_disk_space(sp_sys *sys, const char *path, uint64_t *free_bytes,
                         uint64_t *total_bytes);

/* win32_acl.c (issue 18) */
sp_status w32_path_security(sp_sys *sys, const char *path, sp_pathsec *out);
sp_status w32_dir_create_private(sp_sys *sys, const char *path);

#endif
