"""A world's servers: a taken fixed port is refused at once with its holder named, and
start-up succeeds only when the server's own process answers (its instance), never when
another one answers on the same address."""

from __future__ import annotations

import json
import os
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from emulator.ports import PortTaken, describe_holder, free_port, require_free
from emulator.servers import ServerStartError, start_server
from emulator.virtual_ukey import processes


def test_a_free_port_is_accepted_and_a_listening_one_names_this_process() -> None:
    require_free(free_port(), "网厅服务")
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        with pytest.raises(PortTaken) as refused:
            require_free(port, "网厅服务")
    message = str(refused.value)
    assert f"网厅服务端口 {port} 已被占用" in message
    assert f"PID {os.getpid()}" in message
    assert "szca-emulator down" in message  # how to free it


def test_nobody_holds_a_port_nothing_listens_on() -> None:
    assert describe_holder(free_port()) is None


@pytest.fixture
def impostor() -> Iterator[str]:
    """Another world's server: healthy, but not the instance we start."""

    class Health(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = json.dumps({"status": "ok", "instance": "another-world"}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Health)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/api/health"
    server.shutdown()
    server.server_close()


def test_a_server_that_dies_while_another_answers_is_not_reported_up(
        impostor: str, tmp_path: Path) -> None:
    with pytest.raises(ServerStartError, match="启动时退出"):
        start_server(["-c", "import time; time.sleep(1); raise SystemExit(1)"], impostor,
                     tmp_path / "dies.log", instance="this-world", timeout_s=20)


def test_a_server_whose_answer_is_not_its_own_is_stopped_at_the_deadline(
        impostor: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spawned: list[int] = []
    real_spawn = processes.spawn
    monkeypatch.setattr(processes, "spawn",
                        lambda *a, **k: spawned.append(real_spawn(*a, **k)) or spawned[-1])
    with pytest.raises(ServerStartError, match="本环境的身份"):
        start_server(["-c", "import time; time.sleep(60)"], impostor, tmp_path / "mute.log",
                     instance="this-world", timeout_s=2)
    assert not processes.alive(spawned[0])


def test_the_instance_is_handed_to_the_server_and_its_answer_accepted(
        tmp_path: Path) -> None:
    port = free_port()
    script = (
        "import json, os\n"
        "from http.server import BaseHTTPRequestHandler, HTTPServer\n"
        "class H(BaseHTTPRequestHandler):\n"
        "    def do_GET(self):\n"
        "        body = json.dumps({'status': 'ok', 'instance': os.environ['SZCA_INSTANCE_ID']})\n"
        "        self.send_response(200); self.end_headers(); self.wfile.write(body.encode())\n"
        f"HTTPServer(('127.0.0.1', {port}), H).serve_forever()\n")
    pid = start_server(["-c", script], f"http://127.0.0.1:{port}/", tmp_path / "ok.log",
                       instance="this-world", timeout_s=30)
    try:
        assert processes.alive(pid)
    finally:
        processes.stop(pid)
