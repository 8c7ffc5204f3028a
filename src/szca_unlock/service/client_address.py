"""Which address a request counts against for the per-address limits.

The TCP peer, unless the peer is one of the configured reverse proxies
(``Settings.trusted_proxies``, none by default): then ``X-Forwarded-For`` is read from
the right, skipping trusted proxies, and the first address that is not one is the client.
A header from anyone else is ignored, so it cannot be used to pick a fresh address per
request.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import lru_cache

from starlette.requests import Request

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=16)
def _parse(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def _trusted(address: str, networks: Iterable[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in net for net in networks)


def resolve_client_address(request: Request, trusted_proxies: tuple[str, ...]) -> str:
    peer = request.client.host if request.client else "unknown"
    networks = _parse(trusted_proxies)
    if not networks or not _trusted(peer, networks):
        return peer
    hops = [h.strip() for h in ",".join(request.headers.getlist("x-forwarded-for")).split(",")
            if h.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, networks):
            return hop
    return peer
