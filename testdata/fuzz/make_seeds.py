#!/usr/bin/env python3
"""Writes the seed inputs of testdata/fuzz/<target>/ that testdata/ has no real file for.

The fuzz targets (fuzz/*_fuzzer.cc) also read the real files of testdata/ (certificates, SCTs,
log lists); this adds well-formed examples of the other structures, built from those real files,
so that fuzzing starts from inputs that parse: OCSP responses, MerkleTreeLeaf/extra_data, log
JSON responses, Merkle proofs (from testdata/merkle), checkpoints, tiles, watchlists and
inventories. Checkpoints are signed with testdata/fuzz/keys/seed-log-key.pem, a throwaway key
whose public half is compiled into fuzz/checkpoint_fuzzer.cc.

Run from the repository root: python3 testdata/fuzz/make_seeds.py (needs the openssl CLI).
ECDSA signatures are randomized, so checkpoint seeds differ from run to run; everything else is
deterministic. Files named seed-* are overwritten; crash-* regression inputs are never touched.
"""

import base64
import gzip
import hashlib
import json
import os
import struct
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TESTDATA = os.path.join(ROOT, "testdata")
OUT = os.path.join(TESTDATA, "fuzz")
KEY = os.path.join(OUT, "keys", "seed-log-key.pem")


def read(path):
    with open(os.path.join(TESTDATA, path), "rb") as f:
        return f.read()


def pem_to_der(path):
    text = read(path).decode()
    body = text.split("-----BEGIN CERTIFICATE-----")[1].split("-----END CERTIFICATE-----")[0]
    return base64.b64decode("".join(body.split()))


def write(target, name, data):
    os.makedirs(os.path.join(OUT, target), exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(OUT, target, "seed-" + name), "wb") as f:
        f.write(data)


# --- TLS (RFC 5246 §4) and DER (X.690) encoders -----------------------------------------------

def vec(data, prefix):
    return len(data).to_bytes(prefix, "big") + data


def der(tag, content):
    n = len(content)
    if n < 0x80:
        length = bytes([n])
    else:
        octets = n.to_bytes((n.bit_length() + 7) // 8, "big")
        length = bytes([0x80 | len(octets)]) + octets
    return bytes([tag]) + length + content


def seq(*parts):
    return der(0x30, b"".join(parts))


OID_OCSP_BASIC = bytes.fromhex("2b0601050507300101")        # 1.3.6.1.5.5.7.48.1.1
OID_SCT_OCSP = bytes.fromhex("2b06010401d679020405")        # 1.3.6.1.4.1.11129.2.4.5
OID_SHA1 = bytes.fromhex("2b0e03021a")
OID_ECDSA_SHA256 = bytes.fromhex("2a8648ce3d040302")


# --- Objects from the real test data -----------------------------------------------------------

LEAF = read("sct/realworld/github.com-2016/leaf.der")
ISSUER = pem_to_der("sct/realworld/github.com-2016/issuer.pem")
PRECERT = pem_to_der("sct/ctlog/test-embedded-pre-cert.pem")
CA = pem_to_der("sct/ctlog/ca-cert.pem")
SCT_LIST = read("malformed/cryptography.io-sctlist.bin")
SCT = read("sct/ctlog/test-cert.proof")


def tbs_of(cert):
    """The first element inside a Certificate SEQUENCE (the TBSCertificate)."""
    content = cert[2 + (cert[1] & 0x7f if cert[1] & 0x80 else 0):]
    first_len_byte = content[1]
    if first_len_byte & 0x80:
        k = first_len_byte & 0x7f
        n = int.from_bytes(content[2:2 + k], "big")
        return content[:2 + k + n]
    return content[:2 + first_len_byte]


def timestamped_entry(timestamp, entry_type, signed_entry, extensions=b""):
    return struct.pack(">QH", timestamp, entry_type) + signed_entry + vec(extensions, 2)


def x509_entry(timestamp, extensions=b""):
    return timestamped_entry(timestamp, 0, vec(LEAF, 3), extensions)


def precert_entry(timestamp):
    return timestamped_entry(timestamp, 1, hashlib.sha256(CA).digest() + vec(tbs_of(PRECERT), 3))


def merkle_tree_leaf(entry):
    return b"\x00\x00" + entry  # version v1, leaf_type timestamped_entry (RFC 6962 §3.4)


LEAF_INDEX_EXTENSION = b"\x00" + vec((1234).to_bytes(5, "big"), 2)  # static-ct-api leaf_index
MTL_X509 = merkle_tree_leaf(x509_entry(1467331200000))
MTL_X509_INDEXED = merkle_tree_leaf(x509_entry(1467331200000, LEAF_INDEX_EXTENSION))
MTL_PRECERT = merkle_tree_leaf(precert_entry(1467331200001))
EXTRA_X509 = vec(vec(ISSUER, 3), 3)
EXTRA_PRECERT = vec(PRECERT, 3) + vec(vec(CA, 3), 3)


def digitally_signed(signature):
    return b"\x04\x03" + vec(signature, 2)  # sha256, ecdsa


def sign(message):
    result = subprocess.run(["openssl", "dgst", "-sha256", "-sign", KEY], input=message,
                            capture_output=True, check=True)
    return result.stdout


def spki_der():
    result = subprocess.run(["openssl", "pkey", "-in", KEY, "-pubout", "-outform", "DER"],
                            capture_output=True, check=True)
    return result.stdout


# --- Seeds, target by target -------------------------------------------------------------------

def ocsp_response(serial, extensions_list, extra_single=False):
    def single(serial_bytes, with_ext):
        cert_id = seq(seq(der(0x06, OID_SHA1), b"\x05\x00"), der(0x04, b"\x11" * 20),
                      der(0x04, b"\x22" * 20), der(0x02, serial_bytes))
        parts = [cert_id, b"\x80\x00", der(0x18, b"20240101000000Z"),
                 der(0xa0, der(0x18, b"20240108000000Z"))]
        if with_ext:
            exts = b"".join(seq(der(0x06, oid), der(0x04, der(0x04, value)))
                            for oid, value in extensions_list)
            parts.append(der(0xa1, seq(exts)))
        return seq(*parts)

    singles = [single(serial, bool(extensions_list))]
    if extra_single:
        singles.insert(0, single(b"\x01", False))
    data = seq(der(0xa2, der(0x04, b"\x33" * 20)), der(0x18, b"20240101000000Z"), seq(*singles))
    basic = seq(data, seq(der(0x06, OID_ECDSA_SHA256)), der(0x03, b"\x00" + b"\x44" * 8))
    return seq(der(0x0a, b"\x00"),
               der(0xa0, seq(der(0x06, OID_OCSP_BASIC), der(0x04, basic))))


def ocsp_seeds():
    serial = bytes.fromhex("03d33372a5d4b3e7")
    prefix = bytes([len(serial)]) + serial
    write("ocsp_sct", "with-scts", prefix + ocsp_response(serial, [(OID_SCT_OCSP, SCT_LIST)]))
    write("ocsp_sct", "second-response",
          prefix + ocsp_response(serial, [(OID_SCT_OCSP, SCT_LIST)], extra_single=True))
    write("ocsp_sct", "other-extension-first",
          prefix + ocsp_response(serial, [(bytes.fromhex("2b0601050507300102"), b"\x05\x00"),
                                          (OID_SCT_OCSP, SCT_LIST)]))
    write("ocsp_sct", "no-extensions", prefix + ocsp_response(serial, []))
    write("ocsp_sct", "unsuccessful", prefix + seq(der(0x0a, b"\x03")))


def tls_seeds():
    write("tls_structures", "mtl-x509", MTL_X509)
    write("tls_structures", "mtl-x509-leaf-index", MTL_X509_INDEXED)
    write("tls_structures", "mtl-precert", MTL_PRECERT)
    write("tls_structures", "extra-x509", EXTRA_X509)
    write("tls_structures", "extra-precert", EXTRA_PRECERT)
    write("tls_structures", "digitally-signed", digitally_signed(b"\x30\x06\x02\x01\x01\x02\x01\x01"))
    write("tls_structures", "note-signature",
          struct.pack(">Q", 1700000000000) + digitally_signed(b"\x30\x06\x02\x01\x01\x02\x01\x01"))
    # The get-entries pair: a 3-byte split point, leaf_input, extra_data.
    for name, leaf, extra in (("pair-x509", MTL_X509, EXTRA_X509),
                              ("pair-precert", MTL_PRECERT, EXTRA_PRECERT)):
        write("tls_structures", name, len(leaf).to_bytes(3, "big") + leaf + extra)


def b64(data):
    return base64.b64encode(data).decode()


def log_response_seeds():
    merkle = json.loads(read("merkle/rfc6962_reference_tree.json"))
    root = bytes.fromhex(merkle["roots_by_size"]["8"] if isinstance(merkle["roots_by_size"], dict)
                         else merkle["roots_by_size"][8])
    sig = digitally_signed(b"\x30\x06\x02\x01\x01\x02\x01\x01")
    write("log_responses", "get-sth", json.dumps({
        "tree_size": 8, "timestamp": 1700000000000, "sha256_root_hash": b64(root),
        "tree_head_signature": b64(sig)}))
    entries = {"entries": [
        {"leaf_input": b64(MTL_X509), "extra_data": b64(EXTRA_X509)},
        {"leaf_input": b64(MTL_PRECERT), "extra_data": b64(EXTRA_PRECERT)}]}
    write("log_responses", "get-entries", json.dumps(entries))
    # The canonical shape logclient/get_entries_scanner.h reads in one pass.
    write("log_responses", "get-entries-compact", json.dumps(entries, separators=(",", ":")))
    write("log_responses", "get-entries-empty", '{"entries":[]}')
    consistency = next(c for c in merkle["consistency"] if c["valid"] and c["proof"])
    write("log_responses", "get-sth-consistency", json.dumps(
        {"consistency": [b64(bytes.fromhex(h)) for h in consistency["proof"]]}))
    inclusion = next(c for c in merkle["inclusion"] if c["valid"] and c["proof"])
    path = [b64(bytes.fromhex(h)) for h in inclusion["proof"]]
    write("log_responses", "get-proof-by-hash",
          json.dumps({"leaf_index": inclusion["leaf_index"], "audit_path": path}))
    write("log_responses", "get-entry-and-proof", json.dumps(
        {"leaf_input": b64(MTL_X509), "extra_data": b64(EXTRA_X509), "audit_path": path}))
    write("log_responses", "get-roots", json.dumps({"certificates": [b64(ISSUER), b64(CA)]}))
    sct = SCT
    write("log_responses", "add-chain", json.dumps({
        "sct_version": 0, "id": b64(sct[1:33]), "timestamp": int.from_bytes(sct[33:41], "big"),
        "extensions": "", "signature": b64(sct[43:])}))


def merkle_seeds():
    merkle = json.loads(read("merkle/rfc6962_reference_tree.json"))
    for i, case in enumerate(c for c in merkle["inclusion"] if c["valid"]):
        data = (b"\x00" + struct.pack(">QQ", case["leaf_index"], case["tree_size"]) +
                bytes.fromhex(case["leaf_hash"]) + bytes.fromhex(case["root"]) +
                b"".join(bytes.fromhex(h) for h in case["proof"]))
        write("merkle_proof", "inclusion-%d" % i, data)
        if i >= 5:
            break
    for i, case in enumerate(c for c in merkle["consistency"] if c["valid"]):
        data = (b"\x03" + struct.pack(">QQ", case["size1"], case["size2"]) +
                bytes.fromhex(case["root1"]) + bytes.fromhex(case["root2"]) +
                b"".join(bytes.fromhex(h) for h in case["proof"]))
        write("merkle_proof", "consistency-%d" % i, data)
        if i >= 5:
            break
    write("merkle_proof", "honest-small", bytes([1, 6, 0, 3, 2, 17, 5]))
    write("merkle_proof", "honest-large", bytes([1, 254, 1, 200, 100, 40, 3]))
    frontier = [bytes.fromhex(h) for h in merkle["leaf_hashes"][:2]]
    write("merkle_proof", "frontier", b"\x02" + struct.pack(">Q", 5) + b"".join(frontier))


def checkpoint_seeds():
    log_id = hashlib.sha256(spki_der()).digest()
    merkle = json.loads(read("merkle/rfc6962_reference_tree.json"))
    roots = merkle["roots_by_size"]

    def note(origin, size, root, timestamp, extra_lines=""):
        tbs = struct.pack(">BBQQ", 0, 1, timestamp, size) + root  # RFC 6962 §3.5
        signature = struct.pack(">Q", timestamp) + digitally_signed(sign(tbs))
        key_id = hashlib.sha256(origin.encode() + b"\n\x05" + log_id).digest()[:4]
        text = "%s\n%d\n%s\n%s" % (origin, size, b64(root), extra_lines)
        return text + "\n\u2014 %s %s\n" % (origin, b64(key_id + signature))

    root5 = bytes.fromhex(roots["5"] if isinstance(roots, dict) else roots[5])
    write("checkpoint", "size5", note("log.example/2026h1", 5, root5, 1700000000000))
    write("checkpoint", "empty", note("log.example/2026h1", 0, hashlib.sha256(b"").digest(),
                                      1700000000001))
    other = "\u2014 witness.example %s\n" % b64(b"\x01\x02\x03\x04" + b"\x55" * 64)
    write("checkpoint", "two-signatures",
          note("log.example/2026h1", 5, root5, 1700000000002) + other)
    write("checkpoint", "extension-line",
          note("log.example/2026h1", 5, root5, 1700000000003, "ext line\n"))


def tile_seeds():
    for i, path in enumerate(["tile/0/000", "tile/0/x001/234.p/5", "tile/5/x123/x456/789",
                              "tile/data/000", "tile/data/x001/x002/003.p/255"]):
        write("tile", "path-%d" % i, b"\x00\x00" + path.encode())
    fingerprint = hashlib.sha256(ISSUER).digest()
    x509_leaf = x509_entry(1700000000000, LEAF_INDEX_EXTENSION) + vec(fingerprint, 2)
    precert_leaf = (precert_entry(1700000000001) + vec(PRECERT, 3) +
                    vec(hashlib.sha256(CA).digest(), 2))
    write("tile", "data-1", b"\x01\x00" + x509_leaf)
    write("tile", "data-2", b"\x01\x01" + x509_leaf + precert_leaf)
    write("tile", "gzip-data", b"\x02\x10" + gzip.compress(x509_leaf + precert_leaf, mtime=0))
    write("tile", "gzip-two-members", b"\x02\x01" + gzip.compress(b"a" * 300, mtime=0) +
          gzip.compress(b"b", mtime=0))
    write("tile", "geometry", b"\x03\x00" + struct.pack(">QQ", 70000, 273) + b"\x00")


def watchlist_seeds():
    write("watchlist", "list", "# watched\nexample.com\n.example.org\nbücher.example\n"
          ".xn--mnchen-3ya.de\n_dmarc.example.net  # trailing comment\n")
    write("watchlist", "names", ".example.com\nwww.example.com\n*.example.com\nEXAMPLE.COM.\n"
          "xn--bcher-kva.example\nfoo.*.example.com\nexample.com\x00.evil\n\xc3\x28bad.example\n")
    write("watchlist", "idna", "b\u00fccher.example\nxn--bcher-kva.example\n")


def inventory_seeds():
    record = {"sha256": hashlib.sha256(LEAF).hexdigest(),
              "tbs_sha256": hashlib.sha256(tbs_of(LEAF)).hexdigest(),
              "serial": "03d33372a5d4b3e7", "issuer": "CN=Example CA,O=Example",
              "names": ["example.com", "www.example.com"], "ct_logging": "enabled",
              "not_before": "2024-01-01T00:00:00Z", "not_after": "2024-04-01T00:00:00Z",
              "scts": [{"log_id": b64(SCT[1:33]), "timestamp": 1700000000000}]}
    line = json.dumps(record)
    second = dict(record, ct_logging="disabled", names=[], scts=[])
    del second["scts"]
    write("inventory", "one", line)
    write("inventory", "two", line + "\n\n" + json.dumps(second) + "\n")


def main():
    if not os.path.exists(KEY):
        sys.exit("missing " + KEY)
    ocsp_seeds()
    tls_seeds()
    log_response_seeds()
    merkle_seeds()
    checkpoint_seeds()
    tile_seeds()
    watchlist_seeds()
    inventory_seeds()


if __name__ == "__main__":
    main()
