"""The test suite runs offline: connecting (or resolving a name, or sending a datagram) to anything but the
loopback addresses raises :class:`NetworkBlocked`. ``conftest.py`` applies :func:`block_network` to every test.

Covers what runs in the pytest process (urllib, http.client, requests, raw sockets, DNS through ``socket``);
subprocesses and Qt WebEngine's own network stack are not patched (the app loads no remote URL: the HTML
exports are checked for network references by their own tests)."""

from __future__ import annotations

import socket

import pytest

LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})
_INET = (socket.AF_INET, socket.AF_INET6)


class NetworkBlocked(RuntimeError):
    """Not an OSError on purpose: code that turns network failures into an 'offline' message must not hide
    that a test tried to reach the network; the test fails with this."""


def _host(address: object) -> str | None:
    if isinstance(address, tuple) and address:
        return str(address[0])
    return None


def _check(family: int, address: object) -> None:
    host = _host(address)
    if family in _INET and host is not None and host not in LOOPBACK:
        raise NetworkBlocked(f"tests run offline: connection to {address!r} blocked (only 127.0.0.1/::1)")


def block_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Patch ``socket`` for the current test (undone by ``monkeypatch`` afterwards)."""
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
    real_sendto, real_getaddrinfo = socket.socket.sendto, socket.getaddrinfo

    def connect(self, address):
        _check(self.family, address)
        return real_connect(self, address)

    def connect_ex(self, address):
        _check(self.family, address)
        return real_connect_ex(self, address)

    def sendto(self, data, *args):
        _check(self.family, args[-1] if args else None)
        return real_sendto(self, data, *args)

    def getaddrinfo(host, *args, **kwargs):
        name = host.decode() if isinstance(host, bytes) else host
        if name is not None and name not in LOOPBACK:
            raise NetworkBlocked(f"tests run offline: name lookup of {name!r} blocked")
        return real_getaddrinfo(host, *args, **kwargs)

    def gethostbyname(name):
        if name not in LOOPBACK:
            raise NetworkBlocked(f"tests run offline: name lookup of {name!r} blocked")
        return "127.0.0.1" if name == "localhost" else name

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket.socket, "sendto", sendto)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket, "gethostbyname", gethostbyname)
