#!/usr/bin/python3
"""minhours: a workforce plug-in written in Python.

It proves that the plug-in contract is language-neutral: no Go, no generated
code, only gRPC and JSON. It provides one eligibility rule,
"agency_minimum_hours": an applicant working fewer hours a week than the
agency requires (20 by default; the first argument overrides it) is
ineligible, with the reason "agency_hours_short".

Needs Debian's python3-grpcio, python3-protobuf and python3-cryptography.
See plugins/README.md for the protocol.
"""

import base64
import datetime
import json
import os
import sys
import tempfile
import threading
import time
from concurrent import futures

import grpc
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from google.protobuf import wrappers_pb2

COOKIE_KEY = "BESTSTARTS_WORKFORCE_PLUGIN"
COOKIE_VALUE = "4f1c7a2e-best-starts-for-kids-workforce"
SERVICE = "beststarts.workforce.plugin.v1.Plugin"
RULE = "agency_minimum_hours"
VERSION = "1.0.0"
# What applicants read for each reason code, per language, with the
# reason's {param}s. Every code needs an English text, or the host refuses
# the plug-in; a language without a text reads English.
TEXTS = {
    "agency_hours_short": {
        "en": "You work {hours} hours a week; this agency supports staff who work at least {required}.",
        "es": "Trabaja {hours} horas por semana; esta agencia apoya al personal que trabaja al menos {required}.",
    },
}


def log(level, message, **attrs):
    """Writes one log record in the form the host reads."""
    now = datetime.datetime.now(datetime.timezone.utc)
    rec = {"@level": level, "@message": message,
           "@timestamp": now.strftime("%Y-%m-%dT%H:%M:%S.%fZ")}
    rec.update(attrs)
    sys.stderr.write(json.dumps(rec) + "\n")
    sys.stderr.flush()


def judge(app, required):
    """Returns the reasons for one application."""
    hours = (app.get("applicant") or {}).get("hours_per_week", 0)
    if hours >= required:
        return []
    return [{"code": "agency_hours_short", "outcome": "ineligible",
             "field": "applicant.hours_per_week",
             "params": {"hours": f"{hours:g}", "required": f"{required:g}"},
             "rule": RULE, "version": VERSION}]


def info_doc(required):
    """Returns the Info document: who the plug-in is and its rules."""
    return {"name": "minhours", "version": VERSION, "agency": "Example Python Agency", "protocol": 1,
            "rules": [{"name": RULE, "kind": "eligibility", "version": VERSION,
                       "description": f"at least {required:g} hours a week",
                       "texts": TEXTS}]}


def error(code, message):
    return {"code": code, "message": message}


def handle_call(body, required):
    """Answers one Call envelope with a Response envelope."""
    try:
        req = json.loads(body)
    except ValueError as e:
        return {"error": error("invalid", f"malformed request: {e}")}
    if req.get("kind") != "eligibility" or req.get("rule") != RULE:
        return {"error": error("not_found", f"no {req.get('kind')} rule named {req.get('rule')!r}")}
    results = []
    for app in (req.get("input") or {}).get("subjects") or []:
        try:
            results.append({"reasons": judge(app, required)})
        except Exception as e:  # one bad application costs only itself
            results.append({"error": error("internal", f"{type(e).__name__}: {e}")})
    return {"output": {"results": results}}


def make_cert():
    """Returns a self-signed certificate for localhost: key PEM, cert PEM, cert DER."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Example Agency")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder()
            .subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, key_encipherment=False, key_cert_sign=True,
                                         content_commitment=False, data_encipherment=False, key_agreement=True,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH,
                                                  ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
            .sign(key, hashes.SHA256()))
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return key_pem, cert.public_bytes(serialization.Encoding.PEM), cert.public_bytes(serialization.Encoding.DER)


def bytes_method(fn):
    return grpc.unary_unary_rpc_method_handler(
        fn, request_deserializer=wrappers_pb2.BytesValue.FromString,
        response_serializer=wrappers_pb2.BytesValue.SerializeToString)


def raw_method(fn):
    return grpc.unary_unary_rpc_method_handler(fn, request_deserializer=None, response_serializer=None)


def main():
    if os.environ.get(COOKIE_KEY) != COOKIE_VALUE:
        print("This is a plug-in for the workforce host; it is not meant to be run by hand.", file=sys.stderr)
        sys.exit(1)
    if "1" not in os.environ.get("PLUGIN_PROTOCOL_VERSIONS", "1").split(","):
        print("the host does not speak protocol version 1", file=sys.stderr)
        sys.exit(1)
    required = float(sys.argv[1]) if len(sys.argv) > 1 else 20.0
    info = json.dumps(info_doc(required)).encode()

    done = threading.Event()

    def info_rpc(req, ctx):
        return wrappers_pb2.BytesValue(value=info)

    def call_rpc(req, ctx):
        return wrappers_pb2.BytesValue(value=json.dumps(handle_call(req.value, required)).encode())

    def health_rpc(req, ctx):
        return b"\x08\x01"  # grpc.health.v1.HealthCheckResponse{status: SERVING}

    def shutdown_rpc(req, ctx):
        done.set()
        return b""  # plugin.Empty

    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4),
                         options=[("grpc.max_receive_message_length", 1 << 30),
                                  ("grpc.max_send_message_length", 1 << 30)])
    server.add_generic_rpc_handlers([
        grpc.method_handlers_generic_handler(SERVICE, {"Info": bytes_method(info_rpc), "Call": bytes_method(call_rpc)}),
        grpc.method_handlers_generic_handler("grpc.health.v1.Health", {"Check": raw_method(health_rpc)}),
        grpc.method_handlers_generic_handler("plugin.GRPCController", {"Shutdown": raw_method(shutdown_rpc)}),
    ])

    key_pem, cert_pem, cert_der = make_cert()
    client_cert = os.environ.get("PLUGIN_CLIENT_CERT", "").encode()
    if client_cert:
        creds = grpc.ssl_server_credentials([(key_pem, cert_pem)], root_certificates=client_cert,
                                            require_client_auth=True)
    sock_dir = os.environ.get("PLUGIN_UNIX_SOCKET_DIR") or tempfile.mkdtemp()
    sock = os.path.join(sock_dir, f"minhours-{os.getpid()}.sock")
    if client_cert:
        server.add_secure_port("unix:" + sock, creds)
    else:
        server.add_insecure_port("unix:" + sock)
    server.start()

    cert_field = base64.b64encode(cert_der).decode().rstrip("=") if client_cert else ""
    sys.stdout.write(f"1|1|unix|{sock}|grpc|{cert_field}\n")
    sys.stdout.flush()
    log("info", "minhours ready", required=required)

    parent = os.getppid()
    while not done.wait(0.5):
        if os.getppid() != parent:  # the host is gone
            break
    server.stop(0)
    try:
        os.unlink(sock)
    except OSError:
        pass


if __name__ == "__main__":
    main()
