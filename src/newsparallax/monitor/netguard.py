"""The SSRF guard: which URLs and addresses the monitor may fetch.

User-supplied URLs (feeds, links found in feeds) are fetched only over ``http``/``https`` and
only to public (globally routable) addresses. The check runs on the addresses a host name
*resolves to*, at connection time (see :mod:`newsparallax.monitor.fetcher`, which connects to the
very address checked, so DNS rebinding cannot slip between check and use), and again for every
redirect, since each hop opens its own connection.

A policy can allow more:

* ``true`` — loopback and private networks (RFC 1918, unique-local, CGNAT…) are allowed, but
  link-local addresses (``169.254.0.0/16`` with the cloud metadata endpoints, ``fe80::/10``),
  multicast and unspecified addresses stay refused;
* a comma-separated list of networks (``127.0.0.0/8,10.1.0.0/16``) — exactly those are allowed
  besides public addresses.

A host name that does not resolve is not refused by policy: :meth:`NetPolicy.resolve` raises
:class:`Unresolvable` (a failure that may pass), not :class:`Blocked`.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..errors import ParallaxError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

ALLOWED_SCHEMES = frozenset({"http", "https"})


class Blocked(ParallaxError):
    """A URL or address the policy refuses; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Unresolvable(ParallaxError):
    """A host name that does not resolve (a DNS failure: not a refusal, and it may pass)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class NetPolicy:
    """What the monitor may connect to, besides public addresses."""

    allow_private: bool = False
    networks: tuple[IPNetwork, ...] = ()

    @classmethod
    def parse(cls, value: str | bool | None) -> NetPolicy:
        """``false``/``""`` (the default), ``true``, or a comma-separated list of CIDR networks."""
        if isinstance(value, bool):
            return cls(allow_private=value)
        text = (value or "").strip().lower()
        if text in ("", "0", "false", "no", "off"):
            return cls()
        if text in ("1", "true", "yes", "on", "all"):
            return cls(allow_private=True)
        try:
            nets = tuple(ipaddress.ip_network(p.strip(), strict=False) for p in text.split(","))
        except ValueError as err:
            raise ParallaxError(f"allow_private_networks: {err}") from err
        return cls(networks=nets)

    def check_ip(self, ip: IPAddress | str) -> None:
        """Raise :class:`Blocked` unless this policy lets the monitor connect to ``ip``."""
        addr = ipaddress.ip_address(ip) if isinstance(ip, str) else ip
        if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
            addr = addr.ipv4_mapped
        if any(addr in net for net in self.networks):
            return
        if addr.is_multicast or addr.is_unspecified:
            raise Blocked(f"address {addr} is multicast or unspecified")
        if addr.is_link_local:
            raise Blocked(f"address {addr} is link-local (cloud metadata lives there)")
        if addr.is_global:
            return
        if self.allow_private:
            return
        kind = "loopback" if addr.is_loopback else "private or reserved"
        raise Blocked(f"address {addr} is {kind} (allow it with --allow-private-networks)")

    def resolve(self, host: str, port: int) -> list[str]:
        """The addresses ``host`` resolves to that the policy allows: :class:`Blocked` if it
        allows none, :class:`Unresolvable` if the name does not resolve."""
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError as err:
            raise Unresolvable(f"cannot resolve {host}: {err}") from err
        allowed: list[str] = []
        refused: list[str] = []
        for info in infos:
            ip = str(info[4][0]).split("%")[0]
            try:
                self.check_ip(ip)
            except Blocked as err:
                refused.append(err.reason)
                continue
            if ip not in allowed:
                allowed.append(ip)
        if refused and not allowed:
            raise Blocked(f"{host}: {refused[0]}")
        if not allowed:
            raise Unresolvable(f"{host} resolves to no address")
        return allowed


def check_url(url: str) -> tuple[str, str, int]:
    """``(scheme, host, port)`` of an http(s) URL; :class:`Blocked` for any other URL."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as err:
        raise Blocked(f"invalid URL {url!r}: {err}") from err
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise Blocked(f"scheme {scheme or '(none)'!r} is not http or https")
    host = parts.hostname or ""
    if not host:
        raise Blocked(f"URL {url!r} has no host")
    if parts.username is not None or parts.password is not None:
        raise Blocked("URLs with credentials are not fetched")
    return scheme, host, port or (443 if scheme == "https" else 80)
