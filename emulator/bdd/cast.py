"""A scenario's cast made known to a running deployment, and the scenario's own user address.

Against a deployment every scenario still gets a cast of its own (``fresh_scenario``), so the
service's per-mobile rules (one SMS code per mobile per 60 s, one open order per
certificate) never meet another scenario's. The cast is registered the way the deployment
learns of people and certificates: the certificates, U-KEYs and the reviewer's account in
the service's registry (its database: the CA's issuing system writes there in production),
the carrier, bank, face and corporate-account records through the providers' control API
(``/_control/seed``, which adds and never resets). Its U-KEYs are made by the test process in
its own card world with the deployment's master key (``BddWorld.locked_key``).

Every scenario also speaks from an address of its own (``X-Forwarded-For``): a deployment
behind a reverse proxy counts its per-address limits (20 SMS codes an hour …) per user, and
the whole suite must not look like one user to it. The deployment believes the header only
from its configured proxies (``SZCA_TRUSTED_PROXIES``), so the test runner stands in for the
proxy; in-process the header is ignored (no proxies are trusted, every scenario has a fresh
app and fresh limits anyway).
"""

from __future__ import annotations

import ipaddress

import httpx

from emulator.mock_providers.client import ProviderControl
from emulator.personas import Scenario, TestCA, provider_records
from emulator.personas.generate import rng_for
from emulator.testing.databases import seed
from szca_unlock.keepalive import client_limits

# 10.0.0.0/8, private: never a real user's address, 16 M of them for the scenarios.
_SCENARIO_NETWORK = ipaddress.IPv4Network("10.0.0.0/8")


def client_address(seed: int) -> str:
    """The address the scenario of cast ``seed`` speaks from (10.x.y.z, never .0 or .255)."""
    rng = rng_for(seed, "client_address")
    return str(_SCENARIO_NETWORK[rng.randrange(1, _SCENARIO_NETWORK.num_addresses - 1)])


class ForwardedFor(httpx.BaseTransport):
    """Names the scenario's user to the deployment's proxy reader, then sends the request on
    ``inner`` (by default a pooled HTTP transport, as ``ServiceClient`` uses)."""

    def __init__(self, address: str, inner: httpx.BaseTransport | None = None) -> None:
        self.address = address
        self.inner = inner or httpx.HTTPTransport(limits=client_limits())

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.headers["X-Forwarded-For"] = self.address
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


def register_cast(database_url: str, master_key: bytes, control: ProviderControl,
                  scenario: Scenario, ca: TestCA) -> None:
    """Make ``scenario``'s people, certificates and reviewer known to the deployment (its
    personal data encrypted under the deployment's ``master_key``, as the service stores it)."""
    seed(database_url, scenario, ca, master_key=master_key)
    control.seed(provider_records(scenario))
