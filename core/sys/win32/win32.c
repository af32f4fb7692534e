/* The win32 backend's table of operations, and opening and closing it. */
#include "core/sys/win32/win32.h"
#include "core/sys/win32/win32_ops.h"

#include <stdlib.h>

static void w32_close(sp_sys *sys)
{
    free(sys);
}

static const sp_sys_ops win32_ops = {
    .name = "win32",
    .os_info = w32_os_info,
    .is_admin = w32_is_admin,
    .time_now = w32_time_now,
    .folder = w32_folder,
    .reg_get = w32_reg_get,
    .reg_set = w32_reg_set,
    .reg_delete_value = w32_reg_delete_value,
    .reg_enum_keys = w32_reg_enum_keys,
    .reg_enum_values = w32_reg_enum_values,
    .file_read = w32_file_read,
    .file_write_atomic = w32_file_write_atomic,
    .file_move = w32_file_move,
    .file_delete = w32_file_delete,
    .file_stat = w32_file_stat,
    .dir_create = w32_dir_create,
    .dir_enum = w32_dir_enum,
    .proc_run = w32_proc_run,
    .svc_query = w32_svc_query,
    .svc_start = w32_svc_start,
    .svc_stop = w32_svc_stop,
    .close = w32_close,
    .file_append = w32_file_append,
    .udp_exchange = w32_udp_exchange,
    .time_zone = w32_time_zone,
    .svc_enum = w32_svc_enum,
    .ldap_connect = w32_ldap_connect,
    .ldap_search = w32_ldap_search,
    .ldap_replace = w32_ldap_replace,
    .ldap_close = w32_ldap_close,
    .sid_lookup = w32_sid_lookup,
    .http_get = w32_http_get,
    .proc_run_lines = w32_proc_run_lines,
    .file_read_at = w32_file_read_at,
    .file_set_mtime = w32_file_set_mtime,
    .wua_search = w32_wua_search,
    .wua_install = w32_wua_install,
    .restart = w32_restart,
    .program_path = w32_program_path,
    .event_query = w32_event_query,
    .disk_space = w32_disk_space,
    .path_security = w32_path_security,
    .dir_create_private = w32_dir_create_private,
    .dns_resolve = w32_dns_resolve,
    .reg_get_raw = w32_reg_get_raw,
    .reg_set_raw = w32_reg_set_raw,
    .share_enum = w32_share_enum,
    .sql_files = w32_sql_files,
};

sp_sys *sp_win32_open(void)
{
    /* Every operation works from its arguments alone: the backend has no state of its own. */
    sp_sys *sys = calloc(1, sizeof *sys);
    if (!sys)
        return NULL;
    sys->ops = &win32_ops;
    sys->impl = NULL;
    return sys;
}
