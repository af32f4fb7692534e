/* The root of an HTTPS server's chain as a machine outside the domain judges it (issue 16): the
 * chain is built again with CryptoAPI from the certificates the server sent, and its root is
 * public only when it is in the third-party root programme's store (AuthRoot). A root that this
 * server trusts only through its own, the policy's or the enterprise's stores (an SBS domain CA)
 * is not one Office 365 knows. Also reads the leaf's subject alternative names, which curl's
 * own certificate decoder (used with Schannel) does not list. */
#include <windows.h>
#include <wincrypt.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sys/win32/win32_ops.h"
#include "core/sys/win32/win32_util.h"

/* The DER of each PEM block of pem, added to store; the first one is returned (the leaf). */
static PCCERT_CONTEXT load_chain(const char *pem, HCERTSTORE store)
{
    PCCERT_CONTEXT leaf = NULL;
    const char *p = pem;
    static const char begin[] = "-----BEGIN CERTIFICATE-----", end[] = "-----END CERTIFICATE-----";
    while ((p = strstr(p, begin)) != NULL) {
        const char *e = strstr(p, end);
        if (!e)
            break;
        e += sizeof end - 1;
        DWORD len = 0;
        if (CryptStringToBinaryA(p, (DWORD)(e - p), CRYPT_STRING_BASE64HEADER, NULL, &len, NULL, NULL) &&
            len) {
            BYTE *der = malloc(len);
            if (der && CryptStringToBinaryA(p, (DWORD)(e - p), CRYPT_STRING_BASE64HEADER, der, &len, NULL,
                                            NULL)) {
                PCCERT_CONTEXT c = NULL;
                if (CertAddEncodedCertificateToStore(store, X509_ASN_ENCODING, der, len,
                                                     CERT_STORE_ADD_USE_EXISTING, &c)) {
                    if (!leaf)
                        leaf = c;
                    else
                        CertFreeCertificateContext(c);
                }
            }
            free(der);
        }
        p = e;
    }
    return leaf;
}

static void name_utf8(PCERT_NAME_BLOB name, char *out, size_t outlen)
{
    wchar_t w[256];
    out[0] = '\0';
    if (CertNameToStrW(X509_ASN_ENCODING, name, CERT_X500_NAME_STR | CERT_NAME_STR_REVERSE_FLAG, w, 256) > 1) {
        char *u = w32_utf8(w);
        if (u)
            snprintf(out, outlen, "%s", u);
        free(u);
    }
}

/* Whether a certificate with this SHA-1 is in the system store name of location. */
static int in_store(DWORD location, const wchar_t *name, const CRYPT_HASH_BLOB *sha1)
{
    HCERTSTORE s = CertOpenStore(CERT_STORE_PROV_SYSTEM_W, 0, 0,
                                 location | CERT_STORE_READONLY_FLAG | CERT_STORE_OPEN_EXISTING_FLAG, name);
    if (!s)
        return 0;
    PCCERT_CONTEXT c = CertFindCertificateInStore(s, X509_ASN_ENCODING, 0, CERT_FIND_SHA1_HASH, sha1, NULL);
    if (c)
        CertFreeCertificateContext(c);
    CertCloseStore(s, 0);
    return c != NULL;
}

/* "DNS:a, DNS:b" from the leaf's subjectAltName extension; 0 when it could not be decoded. */
static int read_san(PCCERT_CONTEXT leaf, char *out, size_t outlen)
{
    PCERT_EXTENSION ext = CertFindExtension(szOID_SUBJECT_ALT_NAME2, leaf->pCertInfo->cExtension,
                                            leaf->pCertInfo->rgExtension);
    CERT_ALT_NAME_INFO *info = NULL;
    DWORD len = 0;
    size_t n = 0;
    out[0] = '\0';
    if (!ext)
        return 1; /* no SAN at all: a fact, the list is empty */
    if (!CryptDecodeObjectEx(X509_ASN_ENCODING, X509_ALTERNATE_NAME, ext->Value.pbData, ext->Value.cbData,
                             CRYPT_DECODE_ALLOC_FLAG, NULL, &info, &len))
        return 0;
    for (DWORD i = 0; i < info->cAltEntry; i++) {
        if (info->rgAltEntry[i].dwAltNameChoice != CERT_ALT_NAME_DNS_NAME)
            continue;
        char *u = w32_utf8(info->rgAltEntry[i].pwszDNSName);
        if (u && n + strlen(u) + 7 < outlen)
            n += (size_t)snprintf(out + n, outlen - n, "%sDNS:%s", n ? ", " : "", u);
        free(u);
    }
    LocalFree(info);
    return 1;
}

void w32_cert_judge_root(const char *pem, sp_http_response *out)
{
    HCERTSTORE mem;
    PCCERT_CONTEXT leaf;
    PCCERT_CHAIN_CONTEXT chain = NULL;
    CERT_CHAIN_PARA para;
    if (!pem || !pem[0])
        return;
    mem = CertOpenStore(CERT_STORE_PROV_MEMORY, 0, 0, 0, NULL);
    if (!mem)
        return;
    leaf = load_chain(pem, mem);
    if (!leaf) {
        CertCloseStore(mem, 0);
        return;
    }
    if (!out->cert_san_read)
        out->cert_san_read = read_san(leaf, out->cert_names, sizeof out->cert_names);
    memset(&para, 0, sizeof para);
    para.cbSize = sizeof para;
    /* The machine's engine: the stores a service on this server uses, not the user's. */
    if (CertGetCertificateChain(HCCE_LOCAL_MACHINE, leaf, NULL, mem, &para, 0, NULL, &chain) && chain &&
        chain->cChain > 0 && chain->rgpChain[0]->cElement > 0) {
        PCERT_SIMPLE_CHAIN sc = chain->rgpChain[0];
        PCCERT_CONTEXT top = sc->rgpElement[sc->cElement - 1]->pCertContext;
        int is_root = CertCompareCertificateName(X509_ASN_ENCODING, &top->pCertInfo->Subject,
                                                 &top->pCertInfo->Issuer);
        BYTE hash[20];
        DWORD hl = sizeof hash;
        if (!is_root) {
            /* The chain stops below a root this machine does not have: its issuer is the root. */
            name_utf8(&top->pCertInfo->Issuer, out->cert_root, sizeof out->cert_root);
            snprintf(out->cert_root_store, sizeof out->cert_root_store, "in no store of this server");
            out->cert_root_public = 0;
        } else if (CertGetCertificateContextProperty(top, CERT_SHA1_HASH_PROP_ID, hash, &hl)) {
            static const struct {
                DWORD location;
                const wchar_t *name;
                const char *label;
            } stores[] = {
                {CERT_SYSTEM_STORE_LOCAL_MACHINE, L"AuthRoot", "AuthRoot (third-party root programme)"},
                {CERT_SYSTEM_STORE_LOCAL_MACHINE_ENTERPRISE, L"Root", "the enterprise's Root store"},
                {CERT_SYSTEM_STORE_LOCAL_MACHINE_GROUP_POLICY, L"Root", "the group policy's Root store"},
                {CERT_SYSTEM_STORE_LOCAL_MACHINE, L"Root", "this machine's Root store"},
                {CERT_SYSTEM_STORE_CURRENT_USER, L"Root", "this user's Root store"},
            };
            CRYPT_HASH_BLOB blob = {hl, hash};
            name_utf8(&top->pCertInfo->Subject, out->cert_root, sizeof out->cert_root);
            out->cert_root_public = 0;
            snprintf(out->cert_root_store, sizeof out->cert_root_store, "in no store of this server");
            for (size_t i = 0; i < sizeof stores / sizeof stores[0]; i++)
                if (in_store(stores[i].location, stores[i].name, &blob)) {
                    out->cert_root_public = i == 0;
                    snprintf(out->cert_root_store, sizeof out->cert_root_store, "%s", stores[i].label);
                    break;
                }
        }
    }
    if (chain)
        CertFreeCertificateChain(chain);
    CertFreeCertificateContext(leaf);
    CertCloseStore(mem, 0);
}
