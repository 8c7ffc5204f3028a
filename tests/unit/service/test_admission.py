"""Past saturation the service refuses at once (503 service_busy + Retry-After) instead of
queueing (service/admission.py); the health probe is always admitted."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from szca_unlock.service.admission import AdmissionMiddleware


def _app(release: asyncio.Event) -> AdmissionMiddleware:
    async def slow(request: Request) -> JSONResponse:
        await release.wait()
        return JSONResponse({"ok": True})

    async def health(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    inner = Starlette(routes=[Route("/api/slow", slow), Route("/api/health", health)])
    return AdmissionMiddleware(inner, max_in_flight=2)


def test_requests_past_the_limit_are_refused_at_once_and_admitted_again_later() -> None:
    async def scenario() -> None:
        release = asyncio.Event()
        app = _app(release)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://svc") as client:
            held = [asyncio.create_task(client.get("/api/slow")) for _ in range(2)]
            while app.in_flight < 2:
                await asyncio.sleep(0.01)
            refused = await client.get("/api/slow")
            assert refused.status_code == 503
            assert refused.headers["retry-after"] == "1"
            assert refused.json()["error"]["code"] == "service_busy"
            assert refused.json()["error"]["message"] == "系统繁忙，请稍后重试"
            assert (await client.get("/api/health")).status_code == 200  # probes pass
            release.set()
            assert [r.status_code for r in await asyncio.gather(*held)] == [200, 200]
            assert app.in_flight == 0
            assert (await client.get("/api/slow")).status_code == 200
            assert app.refused == 1

    # In its own thread: a browser test earlier in this xdist worker leaves Playwright's
    # event loop running on the main thread, where asyncio.run() is refused.
    with ThreadPoolExecutor(1) as thread:
        thread.submit(asyncio.run, scenario()).result()
