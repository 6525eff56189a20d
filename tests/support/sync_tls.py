"""A TLS front for the test PostgreSQL server, to test ``sslmode=verify-full`` for real.

The embedded server is built without OpenSSL and listens on a Unix socket, so this proxy
speaks PostgreSQL's TLS negotiation itself: it answers the client's SSLRequest with ``S``,
does the TLS handshake with a certificate made for the test (by the ``openssl`` command),
then relays the decrypted protocol to the server's socket. libpq on the client side does
everything it does against a real TLS-enabled server: verifies the chain and the host name.
"""

from __future__ import annotations

import select
import shutil
import socket
import ssl
import struct
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

SSL_REQUEST = 80877103
GSSENC_REQUEST = 80877104
SERVER_NAME = "db.asistencia.test"


@dataclass(frozen=True)
class Certificates:
    ca: Path
    cert: Path
    key: Path


def openssl_available() -> bool:
    return shutil.which("openssl") is not None


def make_certificates(folder: Path, name: str = SERVER_NAME) -> Certificates:
    """A throw-away CA and a server certificate for ``name`` (EC keys: fast)."""
    folder.mkdir(parents=True, exist_ok=True)
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]

    def run(*args: str) -> None:
        subprocess.run(["openssl", *args], cwd=folder, check=True, capture_output=True)

    run(
        "req", "-x509", *ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
        "-subj", "/CN=Asistencia test CA",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign",
    )  # fmt: skip
    run("req", *ec, "-keyout", "server.key", "-out", "server.csr", "-subj", f"/CN={name}")
    (folder / "server.ext").write_text(
        f"subjectAltName=DNS:{name}\nbasicConstraints=CA:FALSE\n"
        "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n",
        encoding="ascii",
    )
    run(
        "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
        "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "server.ext",
    )  # fmt: skip
    return Certificates(folder / "ca.pem", folder / "server.pem", folder / "server.key")


def _upstream(url: str) -> socket.socket:
    parts = urlsplit(url)
    host = parse_qs(parts.query).get("host", [parts.hostname or ""])[0]
    port = parts.port or 5432
    if host.startswith("/"):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.connect(f"{host}/.s.PGSQL.{port}")
        return sock
    return socket.create_connection((host, port))


def _recv_exact(sock: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise ConnectionError("client went away")
        data += chunk
    return data


class TlsProxy:
    def __init__(self, server_url: str, certificates: Certificates) -> None:
        self.server_url = server_url
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(certificates.cert, certificates.key)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)  # so stop() is not stuck behind a blocking accept()
        self.port = int(self._listener.getsockname()[1])
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="tls-proxy", daemon=True)

    def start(self) -> TlsProxy:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._listener.close()
        self._thread.join(timeout=5)

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            client.settimeout(None)
            threading.Thread(target=self._handle, args=(client,), daemon=True).start()

    def _handle(self, client: socket.socket) -> None:
        try:
            while True:
                length, code = struct.unpack("!II", _recv_exact(client, 8))
                if length == 8 and code == GSSENC_REQUEST:
                    client.sendall(b"N")
                    continue
                if length == 8 and code == SSL_REQUEST:
                    client.sendall(b"S")
                    break
                client.close()  # a client that does not ask for TLS gets nothing
                return
            secure = self.context.wrap_socket(client, server_side=True)
        except (OSError, ssl.SSLError, ConnectionError):
            client.close()  # e.g. the client rejected our certificate: that is the test
            return
        with secure, _upstream(self.server_url) as upstream:
            _relay(secure, upstream)


def _relay(secure: ssl.SSLSocket, upstream: socket.socket) -> None:
    """One thread per connection; SSL objects must not be read and written concurrently."""
    try:
        while True:
            ready = (
                [secure] if secure.pending() else select.select([secure, upstream], [], [], 5)[0]
            )
            for source in ready:
                data = source.recv(65536)
                if not data:
                    return
                (upstream if source is secure else secure).sendall(data)
    except (OSError, ssl.SSLError):
        return
