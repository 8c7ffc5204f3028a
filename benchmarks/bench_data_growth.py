"""Cost as data grows: each operation's latency on a small and on a large database, and the
ratio large ÷ small, measured in one run (same process, same machine, same settings).

    .venv/bin/python benchmarks/bench_data_growth.py --small /tmp/bench-10k.db \\
        --large /tmp/big.db --ca /tmp/big-ca [--samples 40]

Both databases are bulk populations (``python -m emulator.personas.bulk_seed``; a missing
``--small`` is seeded with 10 000 certificates). Each is copied, migrated to head and given
orders in proportion to its size: one completed order per 10 certificates, one manual order
waiting for review per 20 (at 200 000 certificates: 10 000 waiting), and 200 orders of one
applicant (我的业务单). The service app runs in-process (Starlette's TestClient, one loopback
address per sample so the per-address limits stay out of the way); SMS codes are recorded,
not sent. Printed per operation: p50 and p95 in ms for each size and the p50 ratio.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, insert, select

from emulator.personas.ca import TestCA
from szca_unlock.config import Settings
from szca_unlock.service.app import create_app
from szca_unlock.store import Database, StaffRole, upgrade_to_head
from szca_unlock.store.models_orders import OrderRow, OrderTransitionRow
from szca_unlock.store.models_pki import CertificateRow
from szca_unlock.store.passwords import hash_password
from szca_unlock.store.repo_access import upsert_staff_user

MASTER_KEY = bytes.fromhex("11" * 32)  # the service of both worlds; seeding encrypts with it
HEAVY_USER = "13700000000"
Sessions = tuple[TestClient, dict[str, str], TestClient, dict[str, str]]
STAFF_PASSWORD = "Bench-2026!"


@dataclass
class RecordingSms:
    codes: dict[str, str] = field(default_factory=dict)

    def send(self, mobile: str, template: object, params: list[str]) -> None:
        self.codes[mobile] = params[0]


@dataclass
class Providers:
    sms: RecordingSms = field(default_factory=RecordingSms)


def _orders(db: Database, now: datetime) -> tuple[int, list[str], list[str]]:
    """Orders in proportion to the certificates; → (certificates, serials, mobiles)."""
    with db.session() as s:
        total = int(s.scalar(select(func.count()).select_from(CertificateRow)) or 0)
        rows = s.execute(select(CertificateRow.id, CertificateRow.key_serial,
                                CertificateRow.serial_hex, CertificateRow.applicant_mobile)
                         .order_by(CertificateRow.id)).all()
        batch: list[dict[str, Any]] = []
        trail: list[dict[str, Any]] = []
        number = 0

        def order(cert: Any, state: str, mode: str, owner: str, deadline: datetime | None,
                  at: datetime) -> None:
            nonlocal number
            number += 1
            batch.append({"order_no": f"JS{at:%Y%m%d}{number:06d}", "mode": mode,
                          "state": state, "certificate_id": cert.id,
                          "key_serial": cert.key_serial, "owner_mobile": owner,
                          "owner_mobile_hash": owner,
                          "created_at": at, "updated_at": at, "review_round": 1,
                          "review_deadline": deadline, "form_json": {}, "version": 1})

        for i, cert in enumerate(rows):
            at = now - timedelta(minutes=i)
            if i % 10 == 0:
                order(cert, "completed", "realtime", cert.applicant_mobile or HEAVY_USER,
                      None, at)
            if i % 20 == 1:
                order(cert, "submitted", "manual", cert.applicant_mobile or HEAVY_USER,
                      now + timedelta(minutes=i), at)
            if i < 200:
                order(cert, "completed", "realtime", HEAVY_USER, None, at)
        for start in range(0, len(batch), 5000):
            chunk = batch[start:start + 5000]
            s.execute(insert(OrderRow), chunk)
        ids = dict(s.execute(select(OrderRow.order_no, OrderRow.id).where(
            OrderRow.state == "submitted")).all())
        for o in batch:
            if o["state"] == "submitted":
                trail.append({"order_id": ids[o["order_no"]], "from_state": "draft",
                              "to_state": "submitted", "event": "submit",
                              "actor": "applicant", "at": o["created_at"], "note": None})
        for start in range(0, len(trail), 5000):
            s.execute(insert(OrderTransitionRow), trail[start:start + 5000])
        upsert_staff_user(s, "bench", hash_password(STAFF_PASSWORD), display_name="基准审核员",
                          role=StaffRole.REVIEWER)
    serials = [r.serial_hex for r in rows]
    mobiles = sorted({r.applicant_mobile for r in rows if r.applicant_mobile})
    return total, serials, mobiles


class World:
    """One database copy and the service app on it."""

    def __init__(self, source: Path, workdir: Path, now: datetime) -> None:
        path = workdir / f"{len(list(workdir.glob('*.db')))}-{source.name}"
        shutil.copyfile(source, path)
        self.url = f"sqlite:///{path}"
        upgrade_to_head(self.url, master_key=MASTER_KEY)
        db = Database(self.url, master_key=MASTER_KEY)
        try:
            self.certificates, self.serials, self.mobiles = _orders(db, now)
        finally:
            db.dispose()
        self.providers = Providers()
        self.app = create_app(Settings(home=workdir / f"home-{source.stem}",
                                       database_url=self.url,
                                       unlock_master_key_hex=MASTER_KEY.hex()),
                              providers=self.providers)  # type: ignore[arg-type]
        self._address = 0
        self._sessions: Sessions | None = None
        self.rng = random.Random(7)

    def client(self) -> TestClient:
        self._address += 1
        a = self._address
        return TestClient(self.app, client=(f"127.2.{a // 256 % 256}.{a % 256}", 40000))

    def fresh_mobiles(self, count: int) -> list[str]:
        """Mobiles not logged in yet in this run (a second code within 60 s is refused)."""
        picked = self.rng.sample(self.mobiles, count)
        self.mobiles = [m for m in self.mobiles if m not in set(picked)]
        return picked

    def sessions(self) -> Sessions:
        """The heavy applicant (agreements accepted) and a reviewer, logged in once."""
        if self._sessions is None:
            heavy, heavy_auth = self.login(HEAVY_USER)
            guide = heavy.get("/api/unlock/guide", headers=heavy_auth).json()
            ticks = [{"id": a["id"], "version": a["version"]} for a in guide["agreements"]]
            assert heavy.post("/api/agreements/accept", headers=heavy_auth,
                              json={"agreements": ticks}).status_code == 200
            staff = self.client()
            token = staff.post("/api/staff/login", json={
                "username": "bench", "password": STAFF_PASSWORD}).json()["token"]
            self._sessions = (heavy, heavy_auth, staff, {"Authorization": f"Bearer {token}"})
        return self._sessions

    def login(self, mobile: str) -> tuple[TestClient, dict[str, str]]:
        client = self.client()
        assert client.post("/api/auth/sms-code", json={"mobile": mobile}).status_code == 202
        answer = client.post("/api/auth/login", json={
            "mobile": mobile, "code": self.providers.sms.codes[mobile]})
        assert answer.status_code == 200, answer.text
        return client, {"Authorization": f"Bearer {answer.json()['token']}"}


def timed(call: Callable[[], Any]) -> float:
    started = time.perf_counter()
    answer = call()
    elapsed = (time.perf_counter() - started) * 1000
    assert answer.status_code < 400, answer.text
    return elapsed


class Probe:
    """One world's operations, one sample at a time (the two worlds alternate, so the
    machine's drift falls on both)."""

    def __init__(self, world: World, samples: int) -> None:
        self.world = world
        self.out: dict[str, list[float]] = {k: [] for k in (
            "login (code + login)", "me", "lookup", "我的业务单 first page", "我的业务单 page 5",
            "order page", "review queue first page")}
        self.mobiles = world.fresh_mobiles(samples)
        self.heavy, self.heavy_auth, self.staff, self.staff_auth = world.sessions()
        first = self.heavy.get("/api/orders?limit=20", headers=self.heavy_auth).json()
        cursor = first.get("next_cursor")  # None before pagination: page 5 = the whole list
        for _ in range(3 if cursor else 0):
            cursor = self.heavy.get(f"/api/orders?limit=20&cursor={cursor}",
                                    headers=self.heavy_auth).json()["next_cursor"]
        self.some_order = first["orders"][0]["order_no"]
        self.page5 = f"/api/orders?limit=20&cursor={cursor}" if cursor else "/api/orders"

    def sample(self, i: int) -> None:
        world, out, auth = self.world, self.out, self.heavy_auth
        mobile = self.mobiles[i]
        client = world.client()
        started = time.perf_counter()
        client.post("/api/auth/sms-code", json={"mobile": mobile})
        answer = client.post("/api/auth/login", json={
            "mobile": mobile, "code": world.providers.sms.codes[mobile]})
        assert answer.status_code == 200, answer.text
        out["login (code + login)"].append((time.perf_counter() - started) * 1000)
        out["me"].append(timed(lambda: self.heavy.get("/api/auth/me", headers=auth)))
        serial = world.rng.choice(world.serials)
        out["lookup"].append(timed(lambda: world.client().get(
            f"/api/certificates/{serial}", headers=auth)))
        out["我的业务单 first page"].append(timed(
            lambda: self.heavy.get("/api/orders?limit=20", headers=auth)))
        out["我的业务单 page 5"].append(timed(lambda: self.heavy.get(self.page5, headers=auth)))
        out["order page"].append(timed(
            lambda: self.heavy.get(f"/api/orders/{self.some_order}", headers=auth)))
        out["review queue first page"].append(timed(
            lambda: self.staff.get("/api/staff/reviews?limit=50", headers=self.staff_auth)))


def measure(worlds: list[World], samples: int) -> list[dict[str, list[float]]]:
    probes = [Probe(world, samples) for world in worlds]
    for i in range(samples):
        for probe in probes if i % 2 == 0 else reversed(probes):
            probe.sample(i)
    return [probe.out for probe in probes]


def p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", type=Path, required=True)
    parser.add_argument("--large", type=Path, required=True)
    parser.add_argument("--ca", type=Path, required=True)
    parser.add_argument("--samples", type=int, default=40)
    args = parser.parse_args(argv)
    if not args.small.exists():
        from emulator.personas.bulk import BulkSettings
        from emulator.personas.bulk_seed import seed_bulk
        seed_bulk(f"sqlite:///{args.small}", BulkSettings(count=10_000),
                  TestCA.load_or_create(args.ca), master_key=MASTER_KEY)
    now = datetime.now(UTC)
    with tempfile.TemporaryDirectory(prefix="bench-growth-") as tmp:
        worlds = [World(args.small, Path(tmp), now), World(args.large, Path(tmp), now)]
        measure(worlds, 5)  # warm up: imports, caches, SQLite pages of the hot indexes
        results = measure(worlds, args.samples)
    small, large = worlds
    waiting_small, waiting_large = small.certificates // 20, large.certificates // 20
    print(f"certificates: {small.certificates} vs {large.certificates} "
          f"(×{large.certificates / small.certificates:.1f}); waiting for review: "
          f"{waiting_small} vs {waiting_large}; {args.samples} samples each, SQLite, "
          f"in-process app")
    print(f"{'operation':<26} {'p50 small':>10} {'p95 small':>10} {'p50 large':>10} "
          f"{'p95 large':>10} {'ratio p50':>10}")
    for name in results[0]:
        s, big = results[0][name], results[1][name]
        print(f"{name:<26} {p(s, 50):>10.1f} {p(s, 95):>10.1f} {p(big, 50):>10.1f} "
              f"{p(big, 95):>10.1f} {p(big, 50) / p(s, 50):>10.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
