"""The service's memory under oversized request bodies: peak RSS ÷ idle RSS.

    .venv/bin/python benchmarks/bench_body_limits.py [--parallel 8] [--mb 300]

Starts the service in its own process (fresh SQLite home), measures its resident memory
when idle, then sends ``--parallel`` anonymous ``POST /api/auth/sms-code`` bodies of
``--mb`` MB each at once over raw sockets, half with a ``Content-Length`` and half chunked
(no length), each sender stopping as soon as the service answers. Printed: what each
sender got and how much it managed to send, the idle RSS, the peak RSS (``VmHWM``, the
kernel's high-water mark, so no spike is missed between samples) and their ratio. Without
a body limit the service reads every byte (300 MB took it from 250 MB to 1.1 GB).
"""

from __future__ import annotations

import argparse
import os
import select
import socket
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from emulator.mock_providers.server import free_port  # noqa: E402
from emulator.servers import start_server  # noqa: E402
from emulator.virtual_ukey import processes  # noqa: E402

CHUNK = b" " * 65536


def _proc_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} for pid {pid}")


def send_oversized(port: int, total: int, chunked: bool) -> tuple[str, int]:
    """Stream ``total`` bytes of JSON-ish body; stop when the service answers or hangs up."""
    sock = socket.create_connection(("127.0.0.1", port))
    framing = (b"Transfer-Encoding: chunked\r\n" if chunked
               else f"Content-Length: {total}\r\n".encode())
    sock.sendall(b"POST /api/auth/sms-code HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                 b"Content-Type: application/json\r\n" + framing + b"\r\n")
    sent = 0
    piece = (f"{len(CHUNK):x}\r\n".encode() + CHUNK + b"\r\n") if chunked else CHUNK
    try:
        while sent < total:
            readable, _, _ = select.select([sock], [], [], 0)
            if readable:
                break
            sock.sendall(piece)
            sent += len(CHUNK)
        if chunked and sent >= total:
            sock.sendall(b"0\r\n\r\n")
    except OSError:
        pass
    try:
        sock.settimeout(30)
        head = sock.recv(200).split(b"\r\n", 1)[0].decode(errors="replace")
    except OSError as exc:
        head = f"no answer ({type(exc).__name__})"
    finally:
        sock.close()
    return head or "connection closed", sent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--parallel", type=int, default=8)
    parser.add_argument("--mb", type=int, default=300)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-body-") as tmp:
        home = Path(tmp)
        port = free_port()
        env = {"SZCA_HOME": str(home), "DATABASE_URL": f"sqlite:///{home / 'szca.db'}",
               "SZCA_UNLOCK_MASTER_KEY": os.urandom(32).hex(), "PYTHONPATH": str(ROOT)}
        pid = start_server(["-m", "szca_unlock.service", "--port", str(port),
                            "--log-level", "warning"],
                           f"http://127.0.0.1:{port}/api/health", home / "service.log", env)
        try:
            idle = _proc_kib(pid, "VmRSS")
            results: list[tuple[str, int]] = []
            lock = threading.Lock()

            def one(chunked: bool) -> None:
                outcome = send_oversized(port, args.mb * 1024 * 1024, chunked)
                with lock:
                    results.append((("chunked " if chunked else "length  ") + outcome[0],
                                    outcome[1]))

            threads = [threading.Thread(target=one, args=(i % 2 == 1,))
                       for i in range(args.parallel)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            peak = _proc_kib(pid, "VmHWM")
            after = _proc_kib(pid, "VmRSS")
        finally:
            processes.stop(pid)
    for head, sent in sorted(results):
        print(f"  {head:<45} sent {sent / 1024:>10.0f} KiB before the answer")
    print(f"idle RSS   {idle / 1024:8.1f} MiB")
    print(f"peak RSS   {peak / 1024:8.1f} MiB  (VmHWM, {args.parallel} × {args.mb} MB bodies)")
    print(f"after RSS  {after / 1024:8.1f} MiB")
    print(f"peak / idle = {peak / idle:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
