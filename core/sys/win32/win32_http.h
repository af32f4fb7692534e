/* The libcurl HTTPS GET behind the win32 backend's http_get: portable C, also built natively. */
#ifndef SP_SYS_WIN32_HTTP_H
#define SP_SYS_WIN32_HTTP_H

#include "core/sys/sys.h"

/* Makes the request (see sp_http_request). proxy: NULL lets curl use its defaults (the
 * environment), "" goes direct, else "host:port"; noproxy: curl's comma list or NULL.
 * SP_OK whenever a request was attempted (out->curl_code says how it went); SP_ERR_INVALID
 * for a missing URL, SP_ERR_NOMEM when curl cannot start. why gets a message on failure. */
sp_status sp_curl_http_get(const sp_http_request *req, const char *proxy, const char *noproxy,
                           sp_http_response *out, char *why, size_t whylen);

/* The same, also copying every certificate of the chain the server sent (leaf first, PEM) into
 * pem ("" when it does not fit or none was read), for the backend to judge the root. */
sp_status sp_curl_http_get_chain(const sp_http_request *req, const char *proxy, const char *noproxy,
                                 sp_http_response *out, char *pem, size_t pemlen, char *why,
                                 size_t whylen);

/* "Mar 10 12:00:00 2030 GMT" (OpenSSL) or "2030-03-10 12:00:00 GMT" (curl's own ASN.1 code,
 * used with Schannel) to Unix seconds; 0 when it is neither. */
int64_t sp_curl_cert_time(const char *s);

/* curl_global_init itself (issue 18): curl_easy_init would otherwise run it on the first
 * request, which is not thread-safe when two workers start at once. The win32 backend calls it
 * once, under its own guard, before its first request. 0 when curl cannot start. */
int sp_curl_global_init(void);

#endif
