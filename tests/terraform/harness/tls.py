"""The plugin's server certificate for go-plugin AutoMTLS.

Terraform passes its client certificate in PLUGIN_CLIENT_CERT and expects the plugin's own
certificate, base64 DER without padding, as the handshake's sixth field; it then trusts exactly
that certificate for server name "localhost". Terraform's client certificate is ECDSA P-521,
which gRPC's TLS stack does not offer to verify, so the server does not ask for it.
The test session generates one certificate (`generate` + `save`) that its plugins `load`, which
keeps cryptography and key generation out of every plugin start.
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

KEY_FILE = "server.key"
CERT_FILE = "server.crt"


@dataclass(frozen=True)
class ServerCertificate:
    """PEM key and certificate for gRPC, plus the handshake form of the certificate."""

    key_pem: bytes
    cert_pem: bytes
    handshake: str


def handshake_form(cert_pem: bytes) -> str:
    """The certificate as go-plugin's handshake carries it: base64 DER, no padding."""
    body = b"".join(line for line in cert_pem.splitlines() if line and not line.startswith(b"-"))
    return base64.b64encode(base64.b64decode(body)).decode("ascii").rstrip("=")


def save(cert: ServerCertificate, folder: Path) -> None:
    """Write key (mode 0600) and certificate into `folder` for plugins to `load`."""
    key_path = folder / KEY_FILE
    key_path.touch(mode=0o600)
    key_path.write_bytes(cert.key_pem)
    (folder / CERT_FILE).write_bytes(cert.cert_pem)


def load(folder: Path) -> ServerCertificate:
    """A certificate saved by `save` (shared by the plugins of one test session)."""
    cert_pem = (folder / CERT_FILE).read_bytes()
    return ServerCertificate((folder / KEY_FILE).read_bytes(), cert_pem, handshake_form(cert_pem))


def generate(hours: int = 24) -> ServerCertificate:
    """A fresh self-signed ECDSA P-256 certificate for "localhost"."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "grafana-okta-scim schema replay"),
            x509.NameAttribute(NameOID.COMMON_NAME, "localhost"),
        ]
    )
    now = dt.datetime.now(dt.UTC)
    usage = x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=True,
        key_cert_sign=True,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(hours=hours))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    return ServerCertificate(
        key_pem=key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
        cert_pem=cert.public_bytes(serialization.Encoding.PEM),
        handshake=base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode("ascii").rstrip("="),
    )
