"""Initial schema: every table of the unlock service.

Revision ID: 0001
Revises: 
Create Date: 2026-11-26 08:45:48.038661

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0001'
down_revision: Union[str, Sequence[str], None] = None
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    # Times are naive UTC DATETIME columns (the models re-attach UTC on read).
    op.create_table('holders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('id_number', sa.String(length=18), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_holders')),
    sa.UniqueConstraint('id_number', name=op.f('uq_holders_id_number'))
    )
    op.create_table('login_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mobile', sa.String(length=11), nullable=False),
    sa.Column('code_hash', sa.String(length=128), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('used', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_codes'))
    )
    with op.batch_alter_table('login_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_codes_mobile'), ['mobile'], unique=False)

    op.create_table('order_counters',
    sa.Column('day', sa.String(length=8), nullable=False),
    sa.Column('last_seq', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_order_counters'))
    )
    op.create_table('organisations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('uscc', sa.String(length=18), nullable=False),
    sa.Column('legal_rep_name', sa.String(length=100), nullable=False),
    sa.Column('legal_rep_id_number', sa.String(length=18), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisations')),
    sa.UniqueConstraint('uscc', name=op.f('uq_organisations_uscc'))
    )
    op.create_table('staff_users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(length=100), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('role', sa.Enum('reviewer', 'admin', name='staffrole', native_enum=False, length=16), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_users')),
    sa.UniqueConstraint('username', name=op.f('uq_staff_users_username'))
    )
    op.create_table('ukeys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key_serial', sa.String(length=32), nullable=False),
    sa.Column('driver', sa.Enum('pcsc', 'pkcs11', name='ukeydriver', native_enum=False, length=16), nullable=False),
    sa.Column('so_pin_sealed', sa.LargeBinary(), nullable=True),
    sa.Column('pending_so_pin_sealed', sa.LargeBinary(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ukeys')),
    sa.UniqueConstraint('key_serial', name=op.f('uq_ukeys_key_serial'))
    )
    op.create_table('certificates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('serial_hex', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.Enum('org', 'org_personal', 'natural', name='certificatekind', native_enum=False, length=32), nullable=False),
    sa.Column('medical', sa.Boolean(), nullable=False),
    sa.Column('subject_dn', sa.Text(), nullable=False),
    sa.Column('not_before', sa.DateTime(), nullable=False),
    sa.Column('not_after', sa.DateTime(), nullable=False),
    sa.Column('status', sa.Enum('valid', 'revoked', name='certificatestatus', native_enum=False, length=32), nullable=False),
    sa.Column('holder_id', sa.Integer(), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('key_serial', sa.String(length=32), nullable=False),
    sa.Column('applicant_mobile', sa.String(length=11), nullable=True),
    sa.Column('der', sa.LargeBinary(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['holder_id'], ['holders.id'], name=op.f('fk_certificates_holder_id_holders')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_certificates_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificates')),
    sa.UniqueConstraint('serial_hex', name=op.f('uq_certificates_serial_hex'))
    )
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificates_holder_id'), ['holder_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificates_key_serial'), ['key_serial'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificates_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=128), nullable=False),
    sa.Column('kind', sa.Enum('applicant', 'staff', name='sessionkind', native_enum=False, length=16), nullable=False),
    sa.Column('mobile', sa.String(length=11), nullable=True),
    sa.Column('staff_user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('revoked', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['staff_user_id'], ['staff_users.id'], name=op.f('fk_sessions_staff_user_id_staff_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sessions')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_sessions_token_hash'))
    )
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sessions_mobile'), ['mobile'], unique=False)

    op.create_table('agreement_acceptances',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('mobile', sa.String(length=11), nullable=False),
    sa.Column('agreement_id', sa.String(length=64), nullable=False),
    sa.Column('agreement_version', sa.String(length=32), nullable=False),
    sa.Column('accepted_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], name=op.f('fk_agreement_acceptances_session_id_sessions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_acceptances'))
    )
    with op.batch_alter_table('agreement_acceptances', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreement_acceptances_mobile'), ['mobile'], unique=False)
        batch_op.create_index(batch_op.f('ix_agreement_acceptances_session_id'), ['session_id'], unique=False)

    op.create_table('orders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_no', sa.String(length=20), nullable=False),
    sa.Column('mode', sa.Enum('realtime', 'manual', name='ordermode', native_enum=False, length=16), nullable=False),
    sa.Column('state', sa.Enum('draft', 'org_info_confirmed', 'operator_verified', 'authorization_confirmed', 'verified', 'submitted', 'approved', 'rejected', 'completed', 'cancelled', name='orderstate', native_enum=False, length=32), nullable=False),
    sa.Column('certificate_id', sa.Integer(), nullable=False),
    sa.Column('key_serial', sa.String(length=32), nullable=False),
    sa.Column('owner_mobile', sa.String(length=11), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('review_round', sa.Integer(), nullable=False),
    sa.Column('review_deadline', sa.DateTime(), nullable=True),
    sa.Column('form', sa.JSON(), nullable=False),
    sa.Column('legal_rep_name', sa.String(length=100), nullable=True),
    sa.Column('legal_rep_id_number', sa.String(length=18), nullable=True),
    sa.Column('operator_name', sa.String(length=100), nullable=True),
    sa.Column('operator_id_number', sa.String(length=18), nullable=True),
    sa.Column('operator_mobile', sa.String(length=11), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['certificate_id'], ['certificates.id'], name=op.f('fk_orders_certificate_id_certificates')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_orders')),
    sa.UniqueConstraint('order_no', name=op.f('uq_orders_order_no'))
    )
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_orders_certificate_id'), ['certificate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_orders_owner_mobile'), ['owner_mobile'], unique=False)
        batch_op.create_index(batch_op.f('ix_orders_state'), ['state'], unique=False)

    op.create_table('documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('slot', sa.String(length=32), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('storage_path', sa.String(length=500), nullable=False),
    sa.Column('review_round', sa.Integer(), nullable=False),
    sa.Column('replaced', sa.Boolean(), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_documents_order_id_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_documents'))
    )
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_documents_order_id'), ['order_id'], unique=False)

    op.create_table('order_transitions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('from_state', sa.Enum('draft', 'org_info_confirmed', 'operator_verified', 'authorization_confirmed', 'verified', 'submitted', 'approved', 'rejected', 'completed', 'cancelled', name='orderstate', native_enum=False, length=32), nullable=False),
    sa.Column('to_state', sa.Enum('draft', 'org_info_confirmed', 'operator_verified', 'authorization_confirmed', 'verified', 'submitted', 'approved', 'rejected', 'completed', 'cancelled', name='orderstate', native_enum=False, length=32), nullable=False),
    sa.Column('event', sa.Enum('confirm_org_info', 'verify_operator', 'confirm_authorization', 'verify_enterprise', 'verify_identity', 'submit', 'approve', 'reject', 'resubmit', 'complete_unlock', 'cancel', name='orderevent', native_enum=False, length=32), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_order_transitions_order_id_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_order_transitions'))
    )
    with op.batch_alter_table('order_transitions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_order_transitions_order_id'), ['order_id'], unique=False)

    op.create_table('reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('review_round', sa.Integer(), nullable=False),
    sa.Column('decision', sa.Enum('approved', 'rejected', name='reviewdecision', native_enum=False, length=16), nullable=False),
    sa.Column('reason_code', sa.String(length=64), nullable=True),
    sa.Column('reason_text', sa.Text(), nullable=True),
    sa.Column('reviewer', sa.String(length=64), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_reviews_order_id_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reviews')),
    sa.UniqueConstraint('order_id', 'review_round', name=op.f('uq_reviews_order_id_review_round'))
    )
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reviews_order_id'), ['order_id'], unique=False)

    op.create_table('unlock_authorisations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=64), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('card', 'so_pin', name='authorisationkind', native_enum=False, length=16), nullable=False),
    sa.Column('key_serial', sa.String(length=32), nullable=False),
    sa.Column('challenge_hex', sa.String(length=64), nullable=True),
    sa.Column('cryptogram_hex', sa.String(length=64), nullable=True),
    sa.Column('sealed_new_so_pin', sa.LargeBinary(), nullable=True),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_unlock_authorisations_order_id_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unlock_authorisations')),
    sa.UniqueConstraint('key_serial', 'challenge_hex', name=op.f('uq_unlock_authorisations_key_serial_challenge_hex')),
    sa.UniqueConstraint('public_id', name=op.f('uq_unlock_authorisations_public_id'))
    )
    with op.batch_alter_table('unlock_authorisations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_unlock_authorisations_order_id'), ['order_id'], unique=False)

    op.create_table('verifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('step', sa.String(length=32), nullable=False),
    sa.Column('method', sa.String(length=32), nullable=False),
    sa.Column('provider_ref', sa.String(length=128), nullable=True),
    sa.Column('status', sa.Enum('pending', 'passed', 'failed', name='verificationstatus', native_enum=False, length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_verifications_order_id_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_verifications'))
    )
    with op.batch_alter_table('verifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_verifications_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_verifications_provider_ref'), ['provider_ref'], unique=False)



def downgrade() -> None:
    """Downgrade schema."""
    # Times are naive UTC DATETIME columns (the models re-attach UTC on read).
    with op.batch_alter_table('verifications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_verifications_provider_ref'))
        batch_op.drop_index(batch_op.f('ix_verifications_order_id'))

    op.drop_table('verifications')
    with op.batch_alter_table('unlock_authorisations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_unlock_authorisations_order_id'))

    op.drop_table('unlock_authorisations')
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reviews_order_id'))

    op.drop_table('reviews')
    with op.batch_alter_table('order_transitions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_order_transitions_order_id'))

    op.drop_table('order_transitions')
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_documents_order_id'))

    op.drop_table('documents')
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_orders_state'))
        batch_op.drop_index(batch_op.f('ix_orders_owner_mobile'))
        batch_op.drop_index(batch_op.f('ix_orders_certificate_id'))

    op.drop_table('orders')
    with op.batch_alter_table('agreement_acceptances', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreement_acceptances_session_id'))
        batch_op.drop_index(batch_op.f('ix_agreement_acceptances_mobile'))

    op.drop_table('agreement_acceptances')
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sessions_mobile'))

    op.drop_table('sessions')
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_certificates_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_certificates_key_serial'))
        batch_op.drop_index(batch_op.f('ix_certificates_holder_id'))

    op.drop_table('certificates')
    op.drop_table('ukeys')
    op.drop_table('staff_users')
    op.drop_table('organisations')
    op.drop_table('order_counters')
    with op.batch_alter_table('login_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_codes_mobile'))

    op.drop_table('login_codes')
    op.drop_table('holders')
