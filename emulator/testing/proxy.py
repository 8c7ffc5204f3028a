"""A loopback proxy in front of the service for kill tests: it forwards every POST, except
the agent's unlock confirm, which it hands to the test (hold it until the agent is
killed, kill the service first, ...) and then hangs up without an answer."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx


@contextmanager
def confirm_interceptor(target: str, on_confirm: Callable[[], None]) -> Iterator[str]:
    """Yields the proxy's URL; ``on_confirm`` runs in place of forwarding a confirm."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_: object) -> None:
            pass

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if self.path.endswith("/unlock/confirm"):
                on_confirm()
                self.close_connection = True
                return
            answer = httpx.post(target + self.path, content=body, timeout=30, headers={
                k: v for k, v in self.headers.items() if k.lower() != "host"})
            self.send_response(answer.status_code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer.content)))
            self.end_headers()
            self.wfile.write(answer.content)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
