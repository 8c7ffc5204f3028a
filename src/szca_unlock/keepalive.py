"""Idle HTTP/1.1 keep-alive connections: the client always lets go before the server.

A client that sends a request on an idle pooled connection at the moment the server's
keep-alive timer closes it gets no answer at all (httpx: ``RemoteProtocolError: Server
disconnected without sending a response``, or a reset). uvicorn closes idle connections
after 5 s by default and httpx keeps them for 5 s by default: with equal timeouts every
reuse near 5 s idle is a race, which the client loses whenever the server's event loop is
late (a busy service, a saturated machine). Load runs hit it between 60 and 80 users.

So every server of the project keeps an idle connection for ``SERVER_KEEP_ALIVE_S``
(nginx's default) and every client of the project drops its idle connections after
``CLIENT_KEEPALIVE_EXPIRY_S``, well before. A reverse proxy in front of the service must
keep idle client connections longer than ``CLIENT_KEEPALIVE_EXPIRY_S`` too (nginx's
default 75 s does).
"""

from __future__ import annotations

from typing import Any

import httpx

SERVER_KEEP_ALIVE_S = 75
CLIENT_KEEPALIVE_EXPIRY_S = 30.0


def client_limits() -> httpx.Limits:
    """httpx's default pool sizes with an idle expiry shorter than the servers' timeout."""
    return httpx.Limits(max_connections=100, max_keepalive_connections=20,
                        keepalive_expiry=CLIENT_KEEPALIVE_EXPIRY_S)


def server_options() -> dict[str, Any]:
    """uvicorn settings every server of the project runs with.

    ``proxy_headers=False``: uvicorn would otherwise take ``X-Forwarded-For`` from any
    loopback client as the client's address, so anyone on the machine (or behind a proxy
    that passes the header on) could pick a fresh address per request and walk past
    every per-address limit. The service trusts forwarded headers itself, and only from
    the proxies configured in ``SZCA_TRUSTED_PROXIES`` (``service.client_address``)."""
    return {"timeout_keep_alive": SERVER_KEEP_ALIVE_S, "proxy_headers": False}
