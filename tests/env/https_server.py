#!/usr/bin/env python3
"""Test HTTPS server on 127.0.0.1 for the email step's connectivity tests.

Usage: https_server.py CERTDIR PORTFILE
Serves, each on its own ephemeral port, with the certificates make-certs wrote in CERTDIR:
  trusted   leaf.pem (CA-signed, names localhost only)
  self      self.pem (self-signed, localhost)
  expired   expired.pem (CA-signed, expired in 2021)
  silent    a plain TCP listener that never answers (timeouts)
Paths: /rpc/rpcproxy.dll answers 401 with a Basic challenge, /ok answers 200, /close closes the
connection without an answer. Writes "name port" lines to PORTFILE once every port listens.
"""
import http.server
import os
import socket
import ssl
import sys
import threading


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def do_GET(self):
        if self.path.startswith("/close"):
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if self.path.startswith("/ok"):
            body = b"ok\n"
            self.send_response(200)
        else:
            body = b"Unauthorized\n"
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="localhost"')
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # clients that refuse our certificate hang up mid-handshake: expected


def tls_server(certdir, name):
    srv = Server(("127.0.0.1", 0), Handler)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(os.path.join(certdir, name + ".pem"), os.path.join(certdir, name + ".key"))
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True, do_handshake_on_connect=False)
    # The handshake happens in the handler's thread, so one bad client cannot block the others.
    orig = srv.get_request

    def get_request():
        conn, addr = orig()
        conn.settimeout(10)
        return conn, addr

    srv.get_request = get_request
    return srv


def main():
    certdir, portfile = sys.argv[1], sys.argv[2]
    servers = {name: tls_server(certdir, cert) for name, cert in
               (("trusted", "leaf"), ("self", "self"), ("expired", "expired"))}
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(16)
    for srv in servers.values():
        threading.Thread(target=srv.serve_forever, daemon=True).start()
    lines = ["%s %d" % (n, s.server_address[1]) for n, s in servers.items()]
    lines.append("silent %d" % silent.getsockname()[1])
    tmp = portfile + ".tmp"
    with open(tmp, "w") as f:
        f.write("\n".join(lines) + "\n")
    os.replace(tmp, portfile)
    held = []
    while True:  # accept and hold: the client waits for a TLS answer that never comes
        conn, _ = silent.accept()
        held.append(conn)


if __name__ == "__main__":
    main()
