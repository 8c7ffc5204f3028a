"""The benchmark's baseline: a bare FastAPI endpoint driven exactly like the service (same
transport, same per-user loopback addresses, same shape and think time)."""

from __future__ import annotations

import time

import httpx
from locust import User, task

from load.shapes import shape_class
from load.transport import LocustTransport, persona_address
from load.users import think_time

__all__ = ["HelloUser", "ProfileShape"]

ProfileShape = shape_class()
_numbers = iter(range(10**6))


class HelloUser(User):
    wait_time = think_time()

    def on_start(self) -> None:
        self.transport = LocustTransport(self.environment.events.request.fire,
                                         persona_address(next(_numbers)))
        self.http = httpx.Client(base_url=self.host or "", transport=self.transport, timeout=30)

    def on_stop(self) -> None:
        self.http.close()

    @task
    def hello(self) -> None:
        started = time.perf_counter()
        with self.transport.at_step("hello"):
            self.http.get("/api/hello")
        self.environment.events.request.fire(
            request_type="FLOW", name="hello", response_length=0, response=None, context={},
            response_time=(time.perf_counter() - started) * 1000, exception=None)
