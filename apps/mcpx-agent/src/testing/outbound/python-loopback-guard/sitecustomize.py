"""Test-only guard for Python children in interception tests (put this folder on PYTHONPATH).

It refuses to resolve any name but localhost and to connect anywhere outside 127.0.0.0/8 and ::1,
and says so on stderr ("[loopback-guard] refused ..."). The tests name public-looking hosts that
only the recording proxy knows; a client that bypassed the proxy would otherwise send a DNS query
to the machine's resolver, which is off loopback. Never loaded outside tests.
"""

import ipaddress
import socket
import sys

_getaddrinfo = socket.getaddrinfo
_connect = socket.socket.connect
_connect_ex = socket.socket.connect_ex


def _refuse(what):
    sys.stderr.write(f"[loopback-guard] refused {what}\n")
    sys.stderr.flush()


def _is_ip(host):
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return False


def _is_loopback(host):
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _guarded_getaddrinfo(host, *args, **kwargs):
    if host is None or (isinstance(host, str) and (host.lower() == "localhost" or _is_ip(host))):
        return _getaddrinfo(host, *args, **kwargs)
    name = host.decode() if isinstance(host, bytes) else str(host)
    _refuse(f"DNS lookup of {name}")
    raise socket.gaierror(socket.EAI_NONAME, f"loopback guard refused DNS lookup of {name}")


def _check(address):
    if isinstance(address, tuple) and address and isinstance(address[0], str):
        if not _is_loopback(address[0]):
            _refuse(f"connection to {address[0]}")
            raise ConnectionRefusedError(f"loopback guard refused connection to {address[0]}")


def _guarded_connect(self, address):
    _check(address)
    return _connect(self, address)


def _guarded_connect_ex(self, address):
    _check(address)
    return _connect_ex(self, address)


socket.getaddrinfo = _guarded_getaddrinfo
socket.socket.connect = _guarded_connect
socket.socket.connect_ex = _guarded_connect_ex
