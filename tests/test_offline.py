"""The socket block of ``conftest.offline`` (tests/offline.py): every way out is refused before any packet
leaves, loopback still works, and a blocked attempt cannot pass for an ordinary 'offline' error."""

from __future__ import annotations

import http.server
import socket
import threading
import urllib.request

import pytest
from offline import NetworkBlocked

from clustermapper.regions import download

# TEST-NET-1 (RFC 5737): never routed, so even a broken block would send nothing anywhere real
OUTSIDE = "192.0.2.1"


def test_tcp_connections_outside_loopback_are_blocked() -> None:
    with pytest.raises(NetworkBlocked, match="192.0.2.1"):
        socket.create_connection((OUTSIDE, 80), timeout=1)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock, pytest.raises(NetworkBlocked):
        sock.connect_ex((OUTSIDE, 443))
    with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as sock, pytest.raises(NetworkBlocked):
        sock.connect(("2001:db8::1", 80, 0, 0))


def test_name_lookups_and_datagrams_are_blocked() -> None:
    with pytest.raises(NetworkBlocked, match="example.org"):
        socket.getaddrinfo("example.org", 443)
    with pytest.raises(NetworkBlocked):
        socket.gethostbyname("example.org")
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock, pytest.raises(NetworkBlocked):
        sock.sendto(b"x", (OUTSIDE, 53))


def test_urllib_and_the_real_download_code_hit_the_block() -> None:
    with pytest.raises(NetworkBlocked):
        urllib.request.urlopen(f"http://{OUTSIDE}/", timeout=1)
    # not turned into the download's 'needs an internet connection' UsageError (that catches OSError)
    with pytest.raises(NetworkBlocked, match="gisco-services"):
        download.download_gisco(2024, 2)


def test_loopback_still_works() -> None:
    class Hello(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Hello)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{server.server_port}/", timeout=5) as response:
            assert response.read() == b"ok"
        with urllib.request.urlopen(f"http://localhost:{server.server_port}/", timeout=5) as response:
            assert response.read() == b"ok"
    finally:
        server.shutdown()
        server.server_close()
    a, b = socket.socketpair()  # AF_UNIX: not network, never blocked
    a.sendall(b"x")
    assert b.recv(1) == b"x"
    a.close()
    b.close()
