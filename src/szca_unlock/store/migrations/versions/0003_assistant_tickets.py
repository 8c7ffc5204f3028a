"""One-time tickets of the certificate helper (szca-assistant, 立即解锁 from the page).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03 15:40:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0003'
down_revision: Union[str, Sequence[str], None] = '0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('assistant_tickets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_hash', sa.String(length=64), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('redeemed_at', sa.DateTime(), nullable=True),
    sa.Column('access_session_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['access_session_id'], ['sessions.id'], name=op.f('fk_assistant_tickets_access_session_id_sessions')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_assistant_tickets_order_id_orders')),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], name=op.f('fk_assistant_tickets_session_id_sessions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assistant_tickets')),
    sa.UniqueConstraint('access_session_id', name=op.f('uq_assistant_tickets_access_session_id')),
    sa.UniqueConstraint('ticket_hash', name=op.f('uq_assistant_tickets_ticket_hash'))
    )
    with op.batch_alter_table('assistant_tickets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assistant_tickets_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assistant_tickets_session_id'), ['session_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('assistant_tickets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assistant_tickets_session_id'))
        batch_op.drop_index(batch_op.f('ix_assistant_tickets_order_id'))
    op.drop_table('assistant_tickets')
