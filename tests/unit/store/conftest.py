from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from store_fixtures import MOBILE, NOW, OpenOrder, make_certificate

from szca_unlock.domain.certificates import CertificateKind
from szca_unlock.domain.orders import OrderMode
from szca_unlock.store import Database, upgrade_to_head
from szca_unlock.store.repo_orders import create_order
from szca_unlock.store.repo_pki import upsert_certificate


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    url = f"sqlite:///{tmp_path / 'szca.db'}"
    upgrade_to_head(url)
    database = Database(url)
    yield database
    database.dispose()


@pytest.fixture
def open_order(db: Database) -> OpenOrder:
    """Opens an order on a stored certificate of ``kind``; returns the order number."""
    def _open(mode: OrderMode = OrderMode.MANUAL, *, kind: CertificateKind = CertificateKind.ORG,
              now: datetime = NOW) -> str:
        with db.session() as s:
            cert = upsert_certificate(s, make_certificate(kind))
            return create_order(s, certificate=cert, mode=mode, owner_mobile=MOBILE,
                                now=now).order_no
    return _open
