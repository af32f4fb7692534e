#!/usr/bin/env python3
"""The Samba suites' own view of DNS, on loopback only (no dig on the test machine).

  dns-tool.py query SERVER NAME TYPE [rd]   prints "rcode=N" and one line per answer
                                            ("SRV vm.samdom.test. 88", "A 127.1.2.3", ...);
                                            exit 2 when no reply came within 3 s
  dns-tool.py forwarder ADDRESS            serves port 53 of ADDRESS as Samba's forwarder: an NS
                                            record for any NS query, NXDOMAIN for the rest
"""
import socket
import struct
import sys

TYPES = {"A": 1, "NS": 2, "CNAME": 5, "SOA": 6, "SRV": 33}


def refuse_off_loopback(addr):
    if not addr.startswith("127."):
        sys.exit("dns-tool: %s is not a loopback address; no query may leave loopback" % addr)


def wire_name(name):
    out = b""
    for label in [x for x in name.split(".") if x]:
        out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def read_name(pkt, pos):
    labels, jumps, end = [], 0, None
    while True:
        n = pkt[pos]
        if n & 0xC0 == 0xC0:
            if end is None:
                end = pos + 2
            pos = (n & 0x3F) << 8 | pkt[pos + 1]
            jumps += 1
            if jumps > 64:
                raise ValueError("compression loop")
            continue
        if n == 0:
            return ".".join(labels) + ".", (end if end is not None else pos + 1)
        labels.append(pkt[pos + 1:pos + 1 + n].decode("ascii", "replace"))
        pos += 1 + n


def query(server, name, qtype, rd):
    refuse_off_loopback(server)
    qid = 0x5150
    pkt = struct.pack(">HHHHHH", qid, 0x0100 if rd else 0, 1, 0, 0, 0)
    pkt += wire_name(name) + struct.pack(">HH", TYPES[qtype], 1)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(3)
    s.sendto(pkt, (server, 53))
    try:
        reply = s.recv(4096)
    except (socket.timeout, ConnectionRefusedError):
        return 2
    flags, qd, an = struct.unpack(">HHH", reply[2:8])
    print("rcode=%d" % (flags & 15))
    pos = 12
    for _ in range(qd):
        _, pos = read_name(reply, pos)
        pos += 4
    for _ in range(an):
        _, pos = read_name(reply, pos)
        rtype, _, _, rdlen = struct.unpack(">HHIH", reply[pos:pos + 10])
        pos += 10
        rd_at = pos
        if rtype == 1:
            print("A %s" % socket.inet_ntoa(reply[rd_at:rd_at + 4]))
        elif rtype == 33:
            port = struct.unpack(">H", reply[rd_at + 4:rd_at + 6])[0]
            print("SRV %s %d" % (read_name(reply, rd_at + 6)[0], port))
        elif rtype in (2, 5):
            print("%s %s" % ("NS" if rtype == 2 else "CNAME", read_name(reply, rd_at)[0]))
        pos += rdlen
    return 0


def forwarder(addr):
    refuse_off_loopback(addr)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((addr, 53))
    while True:
        req, peer = s.recvfrom(1500)
        if len(req) < 17 or req[2] & 0x80:
            continue
        p = 12
        while p < len(req) and req[p]:
            p += 1 + req[p]
        qend = p + 5
        qtype = struct.unpack(">H", req[p + 1:p + 3])[0]
        qid = struct.unpack(">H", req[:2])[0]
        rd = req[2] & 1
        if qtype == 2:
            ns = wire_name("a.gtld-servers.net")
            ans = b"\xc0\x0c" + struct.pack(">HHIH", 2, 1, 172800, len(ns)) + ns
            head = struct.pack(">HHHHHH", qid, 0x8080 | rd << 8, 1, 1, 0, 0)
            s.sendto(head + req[12:qend] + ans, peer)
        else:
            head = struct.pack(">HHHHHH", qid, 0x8083 | rd << 8, 1, 0, 0, 0)
            s.sendto(head + req[12:qend], peer)


if __name__ == "__main__":
    if len(sys.argv) >= 5 and sys.argv[1] == "query":
        sys.exit(query(sys.argv[2], sys.argv[3], sys.argv[4], len(sys.argv) > 5))
    if len(sys.argv) == 3 and sys.argv[1] == "forwarder":
        forwarder(sys.argv[2])
    sys.exit(__doc__)
