"""Staff lockout: consecutive failed passwords and when the account was locked.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03 15:55:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0002'
down_revision: Union[str, Sequence[str], None] = '0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('staff_users') as batch:
        batch.add_column(sa.Column('failed_logins', sa.Integer(), nullable=False,
                                   server_default='0'))
        batch.add_column(sa.Column('locked_at', sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('staff_users') as batch:
        batch.drop_column('locked_at')
        batch.drop_column('failed_logins')
