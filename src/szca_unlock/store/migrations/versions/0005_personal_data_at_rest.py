"""Personal data encrypted at rest, with lookup hashes where rows are found by equality.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 18:30:00

ID numbers, mobiles and the JSON of order forms and verification details (which hold ID
numbers, mobiles and bank cards) become AES-GCM tokens (``store/data_keys.py``); login
codes, agreement acceptances and orders get a ``…mobile_hash`` and holders an
``id_number_hash`` (HMAC), which take over the indexes and the holders' uniqueness.
Existing plaintext rows are encrypted in place, which needs the master key
(``upgrade_to_head(url, master_key=…)``); a database without personal data needs none.
On SQLite the file is vacuumed afterwards (``upgrade_to_head``), so no plaintext stays
behind in a free page.
"""
import json
from collections.abc import Callable, Sequence
from typing import Any, Union

import sqlalchemy as sa
from alembic import context, op

from szca_unlock.store.data_keys import DataKeys, data_keys, is_encrypted

revision: str = '0005'
down_revision: Union[str, Sequence[str], None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# table -> (encrypted columns, {hash column: (plaintext column, kind)})
ENCRYPTED: dict[str, tuple[tuple[str, ...], dict[str, tuple[str, str]]]] = {
    'login_codes': (('mobile',), {'mobile_hash': ('mobile', 'mobile')}),
    'sessions': (('mobile',), {}),
    'agreement_acceptances': (('mobile',), {'mobile_hash': ('mobile', 'mobile')}),
    'orders': (('owner_mobile', 'form', 'legal_rep_id_number', 'operator_id_number',
                'operator_mobile'), {'owner_mobile_hash': ('owner_mobile', 'mobile')}),
    'verifications': (('detail',), {}),
    'holders': (('id_number',), {'id_number_hash': ('id_number', 'id_number')}),
    'organisations': (('legal_rep_id_number',), {}),
    'certificates': (('applicant_mobile',), {}),
}
JSON_COLUMNS = {('orders', 'form'), ('verifications', 'detail')}
# Columns whose old type was not VARCHAR(11)/(18): what downgrade restores.
OLD_TYPES: dict[tuple[str, str], Any] = {
    ('login_codes', 'mobile'): sa.String(11), ('sessions', 'mobile'): sa.String(11),
    ('agreement_acceptances', 'mobile'): sa.String(11),
    ('orders', 'owner_mobile'): sa.String(11), ('orders', 'form'): sa.JSON(),
    ('orders', 'legal_rep_id_number'): sa.String(18),
    ('orders', 'operator_id_number'): sa.String(18),
    ('orders', 'operator_mobile'): sa.String(11), ('verifications', 'detail'): sa.JSON(),
    ('holders', 'id_number'): sa.String(18),
    ('organisations', 'legal_rep_id_number'): sa.String(18),
    ('certificates', 'applicant_mobile'): sa.String(11),
}
NOT_NULL = {('login_codes', 'mobile_hash'), ('agreement_acceptances', 'mobile_hash'),
            ('orders', 'owner_mobile_hash'), ('holders', 'id_number_hash')}
OLD_INDEXES = {
    'login_codes': [('ix_login_codes_mobile', ['mobile'])],
    'sessions': [('ix_sessions_mobile', ['mobile'])],
    'agreement_acceptances': [('ix_agreement_acceptances_mobile', ['mobile'])],
    'orders': [('ix_orders_owner_mobile', ['owner_mobile']),
               ('ix_orders_owner_created', ['owner_mobile', 'created_at', 'id'])],
}
NEW_INDEXES = {
    'login_codes': [('ix_login_codes_mobile_hash', ['mobile_hash'])],
    'agreement_acceptances': [('ix_agreement_acceptances_mobile_hash', ['mobile_hash'])],
    'orders': [('ix_orders_owner_mobile_hash', ['owner_mobile_hash']),
               ('ix_orders_owner_created', ['owner_mobile_hash', 'created_at', 'id'])],
}
_BATCH = 1000


class _Keys:
    """The data keys, asked for only when a row needs them."""

    def __init__(self) -> None:
        self._keys: DataKeys | None = None

    def __call__(self) -> DataKeys:
        if self._keys is None:
            master_key = context.config.attributes.get('master_key')
            if master_key is None:
                raise RuntimeError(
                    'this database holds personal data in clear: migrate it with the '
                    "service's master key (start the service with SZCA_UNLOCK_MASTER_KEY, "
                    'or upgrade_to_head(url, master_key=...)) to encrypt it')
            self._keys = data_keys(master_key)
        return self._keys


def _pg_using(table: str, column: str, to: str) -> dict[str, str]:
    if op.get_bind().dialect.name != 'postgresql' or (table, column) not in JSON_COLUMNS:
        return {}
    return {'postgresql_using': f'{column}::{to}'}


def _rewrite(table: str, columns: Sequence[str], change: Callable[[str, str], str]) -> int:
    """Apply ``change(column, value)`` to every non-null value of ``columns``, by id."""
    bind = op.get_bind()
    t = sa.table(table, sa.column('id', sa.Integer()),
                 *(sa.column(c, sa.Text()) for c in columns))
    changed, last = 0, 0
    while True:
        rows = bind.execute(sa.select(t).where(t.c.id > last).order_by(t.c.id)
                            .limit(_BATCH)).all()
        if not rows:
            return changed
        for row in rows:
            values = {c: change(c, row._mapping[c]) for c in columns
                      if row._mapping[c] is not None}
            values = {c: v for c, v in values.items() if v != row._mapping[c]}
            if values:
                bind.execute(t.update().where(t.c.id == row.id).values(**values))
                changed += 1
        last = rows[-1].id


def upgrade() -> None:
    for table, indexes in OLD_INDEXES.items():
        with op.batch_alter_table(table) as batch:
            for name, _ in indexes:
                batch.drop_index(name)
    with op.batch_alter_table('holders') as batch:
        batch.drop_constraint('uq_holders_id_number', type_='unique')
    for table, (columns, hashes) in ENCRYPTED.items():
        with op.batch_alter_table(table) as batch:
            for column in columns:
                batch.alter_column(column, type_=sa.Text(), existing_type=OLD_TYPES[table, column],
                                   **_pg_using(table, column, 'text'))
            for hashed in hashes:
                batch.add_column(sa.Column(hashed, sa.String(64), nullable=True))

    keys = _Keys()
    for table, (columns, hashes) in ENCRYPTED.items():
        def seal(column: str, value: str, table: str = table) -> str:
            return value if is_encrypted(value) else keys().encrypt(value, f'{table}.{column}')
        for hashed, (plain, kind) in hashes.items():
            def lookup(_: str, value: str, table: str = table, plain: str = plain,
                       kind: str = kind) -> str:
                # The hash is of the plaintext, whichever form the column is in now.
                if is_encrypted(value):
                    value = keys().decrypt(value, f'{table}.{plain}')
                return keys().lookup_hash(kind, value)
            _fill(table, plain, hashed, lookup)
        _rewrite(table, columns, seal)

    for table, (_, hashes) in ENCRYPTED.items():
        with op.batch_alter_table(table) as batch:
            for hashed in hashes:
                if (table, hashed) in NOT_NULL:
                    batch.alter_column(hashed, existing_type=sa.String(64), nullable=False)
            for name, columns in NEW_INDEXES.get(table, []):
                batch.create_index(name, columns)
    with op.batch_alter_table('holders') as batch:
        batch.create_unique_constraint('uq_holders_id_number_hash', ['id_number_hash'])


def _fill(table: str, source: str, target: str, compute: Callable[[str, str], str]) -> None:
    """``target = compute(source)`` for every row with a ``source``."""
    bind = op.get_bind()
    t = sa.table(table, sa.column('id', sa.Integer()), sa.column(source, sa.Text()),
                 sa.column(target, sa.String(64)))
    last = 0
    while True:
        rows = bind.execute(sa.select(t.c.id, t.c[source]).where(t.c.id > last)
                            .order_by(t.c.id).limit(_BATCH)).all()
        if not rows:
            return
        for row_id, value in rows:
            if value is not None:
                bind.execute(t.update().where(t.c.id == row_id)
                             .values({target: compute(source, value)}))
        last = rows[-1][0]


def downgrade() -> None:
    keys = _Keys()
    with op.batch_alter_table('holders') as batch:
        batch.drop_constraint('uq_holders_id_number_hash', type_='unique')
    for table, (columns, hashes) in ENCRYPTED.items():
        def unseal(column: str, value: str, table: str = table) -> str:
            if not is_encrypted(value):
                return value
            plain = keys().decrypt(value, f'{table}.{column}')
            if (table, column) in JSON_COLUMNS:  # back in the JSON type's own spelling
                plain = json.dumps(json.loads(plain))
            return plain
        _rewrite(table, columns, unseal)
        with op.batch_alter_table(table) as batch:
            for name, _ in NEW_INDEXES.get(table, []):
                batch.drop_index(name)
            for hashed in hashes:
                batch.drop_column(hashed)
            for column in columns:
                old = OLD_TYPES[table, column]
                batch.alter_column(column, type_=old, existing_type=sa.Text(),
                                   **_pg_using(table, column, 'json'))
    for table, indexes in OLD_INDEXES.items():
        with op.batch_alter_table(table) as batch:
            for name, columns in indexes:
                batch.create_index(name, columns)
    with op.batch_alter_table('holders') as batch:
        batch.create_unique_constraint('uq_holders_id_number', ['id_number'])
