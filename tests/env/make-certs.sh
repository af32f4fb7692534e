#!/usr/bin/env bash
# Makes the email step's test certificates in DIR with openssl: a test CA, a CA-signed leaf for
# "localhost" (DNS name only: 127.0.0.1 does not match it), a self-signed one, and a CA-signed
# one that expired in 2021 (backdated with `openssl ca -startdate/-enddate`).
# Writes DIR/leaf.expires (the leaf's notAfter in Unix seconds) for the tests.
set -euo pipefail
dir=$1
mkdir -p "$dir/ca/newcerts"
cd "$dir"
: > ca/index.txt
echo 1000 > ca/serial
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 3650 \
  -subj "/CN=SourcePrep Test CA" -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
cat > ca.cnf <<CNF
[ca]
default_ca = test
[test]
dir = $dir/ca
database = \$dir/index.txt
new_certs_dir = \$dir/newcerts
serial = \$dir/serial
certificate = $dir/ca.pem
private_key = $dir/ca.key
default_md = sha256
policy = any
copy_extensions = copy
unique_subject = no
[any]
commonName = supplied
[leaf]
basicConstraints = CA:FALSE
keyUsage = digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost
CNF
for name in leaf expired; do
  openssl req -newkey rsa:2048 -nodes -keyout "$name.key" -out "$name.csr" -subj "/CN=localhost" 2>/dev/null
done
openssl ca -batch -config ca.cnf -extensions leaf -days 825 -in leaf.csr -out leaf.pem -notext 2>/dev/null
openssl ca -batch -config ca.cnf -extensions leaf -startdate 20200101000000Z -enddate 20210101000000Z \
  -in expired.csr -out expired.pem -notext 2>/dev/null
openssl req -x509 -newkey rsa:2048 -nodes -keyout self.key -out self.pem -days 825 -subj "/CN=localhost" \
  -addext "subjectAltName=DNS:localhost" 2>/dev/null
date -d "$(openssl x509 -in leaf.pem -noout -enddate | cut -d= -f2)" +%s > leaf.expires
