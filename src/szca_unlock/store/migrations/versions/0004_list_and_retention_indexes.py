"""Indexes for paginated lists and the retention purge.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 15:40:00

* ``ix_orders_owner_created (owner_mobile, created_at, id)``: 我的业务单, newest first;
* ``ix_orders_queue (state, mode, review_deadline, id)``: the review queue, nearest
  deadline first;
* ``created_at`` of login codes, ``expires_at`` of sessions, ``accepted_at`` of agreement
  acceptances: the purge job deletes by age without scanning the tables.
"""
from typing import Sequence, Union

from alembic import op

revision: str = '0004'
down_revision: Union[str, Sequence[str], None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_index('ix_orders_owner_created', 'orders', ['owner_mobile', 'created_at', 'id'])
    op.create_index('ix_orders_queue', 'orders', ['state', 'mode', 'review_deadline', 'id'])
    op.create_index(op.f('ix_login_codes_created_at'), 'login_codes', ['created_at'])
    op.create_index(op.f('ix_sessions_expires_at'), 'sessions', ['expires_at'])
    op.create_index(op.f('ix_agreement_acceptances_accepted_at'), 'agreement_acceptances',
                    ['accepted_at'])


def downgrade() -> None:
    op.drop_index(op.f('ix_agreement_acceptances_accepted_at'), 'agreement_acceptances')
    op.drop_index(op.f('ix_sessions_expires_at'), 'sessions')
    op.drop_index(op.f('ix_login_codes_created_at'), 'login_codes')
    op.drop_index('ix_orders_queue', 'orders')
    op.drop_index('ix_orders_owner_created', 'orders')
