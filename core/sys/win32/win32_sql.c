/* The win32 backend's SQL Server reader (issue 16): the user databases' files over ODBC with Windows authentication, odbc32.dll loaded when first asked (never at start-up). */
#include "core/sys/win32/win32_ops.h"
#include "core/sys/win32/win32_util.h"

#include <sql.h>
#include <sqlext.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

typedef SQLRETURN(SQL_API *alloc_fn)(SQLSMALLINT, SQLHANDLE, SQLHANDLE *);
typedef SQLRETURN(SQL_API *free_fn)(SQLSMALLINT, SQLHANDLE);
typedef SQLRETURN(SQL_API *attr_fn)(SQLHANDLE, SQLINTEGER, SQLPOINTER, SQLINTEGER);
typedef SQLRETURN(SQL_API *connect_fn)(SQLHDBC, SQLHWND, SQLWCHAR *, SQLSMALLINT, SQLWCHAR *, SQLSMALLINT,
                                       SQLSMALLINT *, SQLUSMALLINT);
typedef SQLRETURN(SQL_API *exec_fn)(SQLHSTMT, SQLWCHAR *, SQLINTEGER);
typedef SQLRETURN(SQL_API *fetch_fn)(SQLHSTMT);
typedef SQLRETURN(SQL_API *getdata_fn)(SQLHSTMT, SQLUSMALLINT, SQLSMALLINT, SQLPOINTER, SQLLEN, SQLLEN *);
typedef SQLRETURN(SQL_API *diag_fn)(SQLSMALLINT, SQLHANDLE, SQLSMALLINT, SQLWCHAR *, SQLINTEGER *, SQLWCHAR *,
                                    SQLSMALLINT, SQLSMALLINT *);
typedef SQLRETURN(SQL_API *disconnect_fn)(SQLHDBC);

static const char *const names[] = {"SQLAllocHandle", "SQLFreeHandle",   "SQLSetEnvAttr",  "SQLSetConnectAttrW",
                                    "SQLDriverConnectW", "SQLExecDirectW", "SQLFetch",       "SQLGetData",
                                    "SQLGetDiagRecW",  "SQLDisconnect"};

typedef struct {
    alloc_fn alloc;
    free_fn free;
    attr_fn env_attr, conn_attr;
    connect_fn connect;
    exec_fn exec;
    fetch_fn fetch;
    getdata_fn get;
    diag_fn diag;
    disconnect_fn disconnect;
} odbc;

/* Fails with what ODBC said of handle: "ODBC to <where>: <what>: [driver]message (SQLSTATE)". */
static sp_status odbc_fail(sp_sys *sys, const odbc *o, SQLSMALLINT type, SQLHANDLE h, const char *where,
                           const char *what)
{
    SQLWCHAR state[6] = L"", msg[400] = L"";
    SQLINTEGER native = 0;
    SQLSMALLINT len = 0;
    char *m;
    if (!h || !SQL_SUCCEEDED(o->diag(type, h, 1, state, &native, msg, 400, &len)))
        return sp_sys_fail(sys, SP_ERR_IO, "ODBC to %s: %s failed (ODBC gave no diagnostic)", where, what);
    m = w32_utf8(msg);
    sp_sys_fail(sys, SP_ERR_IO, "ODBC to %s: %s: %s (%ls)", where, what, m ? m : "?", state);
    free(m);
    return SP_ERR_IO;
}

/* Column col as text ("" when NULL). */
static void column(const odbc *o, SQLHSTMT st, SQLUSMALLINT col, wchar_t *buf, SQLLEN cap)
{
    SQLLEN ind = 0;
    buf[0] = L'\0';
    if (!SQL_SUCCEEDED(o->get(st, col, SQL_C_WCHAR, buf, cap, &ind)) || ind == SQL_NULL_DATA)
        buf[0] = L'\0';
}

sp_status w32_sql_files(sp_sys *sys, const char *instance, sp_sql_file_cb cb, void *user)
{
    /* sys.master_files from SQL Server 2005 on; SQL Server 2000 has master..sysaltfiles only. */
    static const wchar_t *const queries[] = {
        L"SELECT DB_NAME(database_id), physical_name, CAST(size AS bigint) * 8192 FROM sys.master_files "
        L"WHERE database_id > 4 ORDER BY 1, file_id",
        L"SELECT DB_NAME(dbid), RTRIM(filename), CAST(size AS bigint) * 8192 FROM master..sysaltfiles "
        L"WHERE dbid > 4 ORDER BY 1, fileid"};
    HMODULE dll = w32_load_system_dll(L"odbc32.dll");
    odbc o;
    FARPROC slot[sizeof names / sizeof names[0]];
    SQLHENV env = NULL;
    SQLHDBC dbc = NULL;
    SQLHSTMT stmt = NULL;
    wchar_t conn[300], *winst = w32_wide(instance ? instance : "");
    char where[200];
    sp_status st = SP_OK;
    int dflt = !instance || !instance[0] || _stricmp(instance, "MSSQLSERVER") == 0, stop = 0;
    snprintf(where, sizeof where, "(local)%s%.150s", dflt ? "" : "\\", dflt ? "" : instance);
    if (!winst) {
        if (dll)
            FreeLibrary(dll);
        return w32_nomem(sys, "connect to SQL Server");
    }
    _snwprintf(conn, 300, L"DRIVER={SQL Server};SERVER=(local)%ls%ls;Trusted_Connection=Yes;", dflt ? L"" : L"\\",
               dflt ? L"" : winst);
    conn[299] = L'\0';
    free(winst);
    if (!dll)
        return w32_fail_as(sys, SP_ERR_UNSUPPORTED, GetLastError(), "ODBC to %s: odbc32.dll could not be loaded",
                           where);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!(slot[i] = GetProcAddress(dll, names[i]))) {
            FreeLibrary(dll);
            return sp_sys_fail(sys, SP_ERR_UNSUPPORTED, "ODBC to %s: odbc32.dll has no %s", where, names[i]);
        }
    _Static_assert(sizeof slot == sizeof o, "one entry point per member");
    memcpy(&o, slot, sizeof o);
    if (!SQL_SUCCEEDED(o.alloc(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env))) {
        env = NULL;
        st = sp_sys_fail(sys, SP_ERR_IO, "ODBC to %s: SQLAllocHandle for the ODBC environment failed (odbc32.dll "
                         "has no working driver manager)", where);
    } else if (!SQL_SUCCEEDED(o.env_attr(env, SQL_ATTR_ODBC_VERSION, (SQLPOINTER)SQL_OV_ODBC3, 0)) ||
               !SQL_SUCCEEDED(o.alloc(SQL_HANDLE_DBC, env, &dbc))) {
        dbc = NULL;
        st = odbc_fail(sys, &o, SQL_HANDLE_ENV, env, where, "preparing the connection");
    } else {
        o.conn_attr(dbc, SQL_ATTR_LOGIN_TIMEOUT, (SQLPOINTER)(SQLULEN)15, 0);
        if (!SQL_SUCCEEDED(o.connect(dbc, NULL, conn, SQL_NTS, NULL, 0, NULL, SQL_DRIVER_NOPROMPT))) {
            st = odbc_fail(sys, &o, SQL_HANDLE_DBC, dbc, where, "SQLDriverConnect");
            o.free(SQL_HANDLE_DBC, dbc);
            dbc = NULL;
        }
    }
    for (size_t q = 0; dbc && st == SP_OK && q < 2; q++) {
        if (!SQL_SUCCEEDED(o.alloc(SQL_HANDLE_STMT, dbc, &stmt))) {
            st = odbc_fail(sys, &o, SQL_HANDLE_DBC, dbc, where, "SQLAllocHandle (statement)");
            break;
        }
        if (!SQL_SUCCEEDED(o.exec(stmt, (SQLWCHAR *)queries[q], SQL_NTS))) {
            if (q == 1)
                st = odbc_fail(sys, &o, SQL_HANDLE_STMT, stmt, where, "reading master..sysaltfiles");
            o.free(SQL_HANDLE_STMT, stmt);
            continue;
        }
        while (!stop && SQL_SUCCEEDED(o.fetch(stmt))) {
            wchar_t db[260], file[520], size[32];
            column(&o, stmt, 1, db, sizeof db);
            column(&o, stmt, 2, file, sizeof file);
            column(&o, stmt, 3, size, sizeof size);
            char *udb = w32_utf8(db), *ufile = w32_utf8(file);
            if (!udb || !ufile)
                st = w32_nomem(sys, "read the databases");
            else {
                sp_sql_file f = {udb, ufile, (uint64_t)_wcstoui64(size, NULL, 10)};
                stop = cb(user, &f);
            }
            free(udb);
            free(ufile);
            stop |= st != SP_OK;
        }
        o.free(SQL_HANDLE_STMT, stmt);
        break;
    }
    if (dbc) {
        o.disconnect(dbc);
        o.free(SQL_HANDLE_DBC, dbc);
    }
    if (env)
        o.free(SQL_HANDLE_ENV, env);
    FreeLibrary(dll);
    return st;
}
