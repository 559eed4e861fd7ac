"""Servers on loopback for the URL modules' tests: a throwaway CA with server and client
certificates (made with ``cryptography``), plain HTTP, HTTPS with limited ciphers,
HTTPS that requires a client certificate, HTTP over a Unix socket, and a forward proxy.

Every HTTP endpoint answers from :class:`EchoHandler`: ``/echo`` (the request's
headers as JSON), ``/redirect`` (to ``/echo``), ``/secret`` (basic auth ``bob``/``pw``),
``/gz`` (a gzip-encoded body), ``/sums`` (its SHA-256 in a checksum file), ``/a.tgz`` (a tar archive), ``/lm`` (304 when asked ``If-Modified-Since``) and, for
POST/PUT, ``/upload`` (what was received, multipart parts decoded)."""
from __future__ import annotations

import base64
import datetime
import email.parser
import email.policy
import gzip
import hashlib
import http.server
import io
import ipaddress
import json
import socketserver
import ssl
import tarfile
import threading
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

PLAIN = b"unzipped text\n"
LM_BODY = b"last modified body\n"
def _archive() -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        member = tarfile.TarInfo("top/plain.txt")
        member.size = len(PLAIN)
        archive.addfile(member, io.BytesIO(PLAIN))
    return buffer.getvalue()


#: ``/a.tgz``: ``top/plain.txt``
ARCHIVE = _archive()
#: the one cipher the limited HTTPS server speaks (TLS 1.2 at most)
SERVER_CIPHER = "ECDHE-ECDSA-AES128-GCM-SHA256"


class EchoHandler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass

    def _send(self, status: int, body: bytes, content_type: str = "application/json", **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in headers.items():
            self.send_header(key.replace("_", "-"), value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self) -> None:  # noqa: N802 - http.server's naming
        self.do_GET()

    def do_GET(self) -> None:  # noqa: N802
        if self.path == "/echo":
            self._send(200, json.dumps({"headers": dict(self.headers.items())}).encode())
        elif self.path == "/redirect":
            self._send(302, b"", Location="/echo")
        elif self.path == "/secret":
            if self.headers.get("Authorization") == "Basic " + base64.b64encode(b"bob:pw").decode():
                self._send(200, b"welcome", "text/plain")
            else:
                self._send(401, b"no", "text/plain", WWW_Authenticate='Basic realm="x"')
        elif self.path == "/gz":
            self._send(200, gzip.compress(PLAIN, mtime=0), "text/plain", Content_Encoding="gzip")
        elif self.path == "/a.tgz":
            self._send(200, ARCHIVE, "application/gzip")
        elif self.path == "/sums":
            digest = hashlib.sha256(PLAIN).hexdigest()
            self._send(200, f"{'0' * 64}  other\n{digest} *gz\n".encode(), "text/plain")
        elif self.path == "/lm":
            if self.headers.get("If-Modified-Since"):
                self.send_response(304)
                self.end_headers()
            else:
                self._send(200, LM_BODY, "text/plain", Last_Modified="Mon, 01 Jan 2024 00:00:00 GMT")
        else:
            self._send(404, b"not here", "text/plain")

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length", 0))
        data = self.rfile.read(length)
        content_type = self.headers.get("Content-Type", "")
        received: dict[str, Any] = {"type": content_type.split(";")[0], "length": length}
        if content_type.startswith("multipart/form-data"):
            message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
                f"Content-Type: {content_type}\r\n\r\n".encode() + data)
            received["parts"] = [{"name": part.get_param("name", header="content-disposition"),
                                  "filename": part.get_filename(), "type": part.get_content_type(),
                                  "content": part.get_payload(decode=True).decode()}
                                 for part in message.iter_parts()]
        else:
            received["body"] = data.decode()
        self._send(200, json.dumps(received).encode())

    do_PUT = do_POST


class ProxyHandler(http.server.BaseHTTPRequestHandler):
    """A forward proxy that answers every request itself, naming the URL it was asked for."""

    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        body = json.dumps({"proxied": self.path}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _UnixServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


def _certificate(subject: str, issuer: x509.Name | None, issuer_key: Any, *, ca: bool = False,
                 client: bool = False) -> tuple[Any, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)])
    now = datetime.datetime.now(datetime.timezone.utc)
    builder = (x509.CertificateBuilder().subject_name(name).issuer_name(issuer or name)
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=2))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if not ca and not client:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(
            "127.0.0.1"))]), critical=False)
    return key, builder.sign(issuer_key or key, hashes.SHA256())


def _write(directory: Path, stem: str, key: Any, cert: x509.Certificate) -> tuple[Path, Path]:
    key_path, cert_path = directory / f"{stem}.key", directory / f"{stem}.pem"
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


class Servers:
    """Start every server (threads of this process); :meth:`close` stops them."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        ca_key, ca_cert = _certificate("corral test CA", None, None, ca=True)
        _key, self.ca = _write(directory, "ca", ca_key, ca_cert)
        server_key, server_cert = _certificate("127.0.0.1", ca_cert.subject, ca_key)
        self.server_key, self.server_cert = _write(directory, "server", server_key, server_cert)
        client_key, client_cert = _certificate("client", ca_cert.subject, ca_key, client=True)
        self.client_key, self.client_cert = _write(directory, "client", client_key, client_cert)
        self._servers: list[socketserver.BaseServer] = []
        self.http = self._start_tcp(EchoHandler)
        self.https = self._start_tcp(EchoHandler, self._context(client_auth=False))
        self.mtls = self._start_tcp(EchoHandler, self._context(client_auth=True))
        self.proxy = self._start_tcp(ProxyHandler)
        self.socket = str(directory / "http.sock")
        self._serve(_UnixServer(self.socket, EchoHandler))

    def _context(self, client_auth: bool) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.server_cert, self.server_key)
        if client_auth:
            context.verify_mode = ssl.CERT_REQUIRED
            context.load_verify_locations(self.ca)
        else:
            context.maximum_version = ssl.TLSVersion.TLSv1_2
            context.set_ciphers(SERVER_CIPHER)
        return context

    def _start_tcp(self, handler: type, context: ssl.SSLContext | None = None) -> str:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        if context is not None:
            server.socket = context.wrap_socket(server.socket, server_side=True)
        self._serve(server)
        return f"{'https' if context else 'http'}://127.0.0.1:{server.server_address[1]}"

    def _serve(self, server: socketserver.BaseServer) -> None:
        self._servers.append(server)
        threading.Thread(target=server.serve_forever, daemon=True).start()

    def close(self) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()
