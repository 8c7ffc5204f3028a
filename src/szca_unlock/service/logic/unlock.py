"""C-5 立即解锁 and C-6 数据冲突 (docs/unlock-protocol.md): authorise exactly the key the
order is bound to, once per challenge; complete the order only on the card's proof.

Limits (docs/decisions/service.md, Unlock): at most ``MAX_CARD_AUTHORISATIONS`` cryptograms
per order; a token's SO PIN is released once and not again until that release is
confirmed; the newest authorisation of an order is the live one. A confirmation is
accepted late (the key was reset: the order must follow it), also found by the card's
own proof of its last reset (``reconcile``)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from szca_unlock.domain.certificates import normalise_serial
from szca_unlock.domain.errors import CS_HELP, DomainError
from szca_unlock.domain.orders import OrderEvent
from szca_unlock.logsetup import get_logger
from szca_unlock.service.context import ServiceContext
from szca_unlock.service.errors import Conflict, DataConflict
from szca_unlock.service.logic import orders
from szca_unlock.service.logic.sessions import Principal
from szca_unlock.store.enums import AuthorisationKind, UKeyDriver
from szca_unlock.store.errors import NotFound
from szca_unlock.store.models_orders import OrderRow, UnlockAuthorisationRow
from szca_unlock.store.repo_order_parts import (
    add_unlock_authorisation,
    find_order_authorisation_by_challenge,
    get_unlock_authorisation,
    list_order_authorisations,
    list_unlock_authorisations,
    mark_authorisation_confirmed,
)
from szca_unlock.store.repo_pki import get_ukey, set_pending_so_pin
from szca_unlock.store.transitions import apply_transition
from szca_unlock.unlock import (
    Authorisation,
    AuthorisationAlreadyConfirmed,
    SoPinAuthorisation,
)

log = get_logger("service.unlock")
MAX_CARD_AUTHORISATIONS = 5  # per order; each refused cryptogram also costs an admin try


class UnlockAttemptsExhausted(Conflict):
    def __init__(self) -> None:
        super().__init__("unlock.attempts_exhausted",
                         f"本业务单的在线解锁已尝试{MAX_CARD_AUTHORISATIONS}次，不能再签发解锁授权。"
                         "请联系深圳CA客服处理", help=CS_HELP)


class SoPinAlreadyReleased(Conflict):
    def __init__(self) -> None:
        super().__init__("unlock.so_pin_released",
                         "该令牌的管理员密码已下发给深圳CA驱动程序，尚未收到解锁确认；管理员密码不会再次下发。"
                         "请在原电脑上重新运行深圳CA驱动程序完成确认", help=CS_HELP)


def _ready_order(db: Session, caller: Principal, order_no: str, key_serial: str,
                 certificate_serial: str) -> OrderRow:
    """The caller's order, if the presented key and certificate are the bound ones (C-6)
    and the order may be unlocked now. Nothing is written on refusal. Locked: the unlock
    budget and the single SO PIN disclosure are counted one request at a time."""
    order = orders.own_order(db, caller, order_no, lock=True)
    if key_serial.strip() != order.key_serial:
        log.warning("order %s: key %s presented, bound to %s", order_no, key_serial,
                    order.key_serial)
        raise DataConflict("key_serial")
    try:
        same_cert = normalise_serial(certificate_serial) == order.certificate.serial_hex
    except DomainError:
        same_cert = False
    if not same_cert:
        log.warning("order %s: another certificate presented", order_no)
        raise DataConflict("certificate_serial")
    if order.state not in orders.UNLOCKABLE:
        raise Conflict("not_verified",
                       f"业务单当前状态为「{order.state.label}」，认证或审核通过后才能解锁")
    return order


def authorise(ctx: ServiceContext, db: Session, caller: Principal, order_no: str,
              key_serial: str, certificate_serial: str, challenge_hex: str) -> Authorisation:
    order = _ready_order(db, caller, order_no, key_serial, certificate_serial)
    earlier = [a for a in list_order_authorisations(db, order) if a.kind is AuthorisationKind.CARD]
    if len(earlier) >= MAX_CARD_AUTHORISATIONS:
        raise UnlockAttemptsExhausted()
    challenge = bytes.fromhex(challenge_hex)
    issued = [_card_value(r) for r in list_unlock_authorisations(
        db, key_serial=order.key_serial, challenge_hex=challenge_hex)]
    granted = ctx.authority.authorise(order.key_serial, challenge,
                                      bound_key_serial=order.key_serial, issued=issued)
    add_unlock_authorisation(db, order, public_id=granted.id, kind=AuthorisationKind.CARD,
                             key_serial=granted.key_serial, expires_at=granted.expires_at,
                             challenge_hex=challenge.hex(), cryptogram_hex=granted.cryptogram.hex(),
                             now=ctx.clock())
    return granted


def _card_value(row: UnlockAuthorisationRow) -> Authorisation:
    return Authorisation(id=row.public_id, key_serial=row.key_serial,
                         challenge=bytes.fromhex(row.challenge_hex or ""),
                         cryptogram=bytes.fromhex(row.cryptogram_hex or ""),
                         expires_at=row.expires_at, confirmed_at=row.confirmed_at)


def reconcile(ctx: ServiceContext, db: Session, caller: Principal, order_no: str,
              key_serial: str, challenge_hex: str, receipt_hex: str) -> OrderRow:
    """Finish an unlock from the card's proof of its last reset (challenge + receipt), when
    the agent that reset it died before confirming and its authorisation id is lost."""
    order = orders.own_order(db, caller, order_no)
    row = find_order_authorisation_by_challenge(db, order, key_serial.strip(), challenge_hex)
    if row is None or row.kind is not AuthorisationKind.CARD:
        raise NotFound("unlock_authorisation",
                       "U-KEY中的解锁记录不属于本业务单，请刷新页面后重新解锁")
    ctx.authority.confirm(_card_value(row), bytes.fromhex(receipt_hex))
    _complete(ctx, db, order, row.public_id, caller, f"U-KEY {row.key_serial} 已解锁（补确认）")
    return order


def _own_authorisation(db: Session, order: OrderRow, public_id: str,
                       kind: AuthorisationKind) -> UnlockAuthorisationRow:
    row = get_unlock_authorisation(db, public_id)
    if row.order_id != order.id or row.kind is not kind:
        raise NotFound("unlock_authorisation", "解锁授权不存在，请刷新页面后重新解锁")
    return row


def _complete(ctx: ServiceContext, db: Session, order: OrderRow, public_id: str,
              caller: Principal, note: str) -> None:
    now = ctx.clock()
    if not mark_authorisation_confirmed(db, public_id, now):
        raise AuthorisationAlreadyConfirmed()
    apply_transition(db, order, OrderEvent.COMPLETE_UNLOCK, caller.actor, note=note, at=now)


def confirm(ctx: ServiceContext, db: Session, caller: Principal, order_no: str,
            public_id: str, receipt_hex: str) -> OrderRow:
    order = orders.own_order(db, caller, order_no)
    row = _own_authorisation(db, order, public_id, AuthorisationKind.CARD)
    ctx.authority.confirm(_card_value(row), bytes.fromhex(receipt_hex))
    _complete(ctx, db, order, public_id, caller, f"U-KEY {row.key_serial} 已解锁")
    return order


def authorise_so_pin(ctx: ServiceContext, db: Session, caller: Principal, order_no: str,
                     key_serial: str, certificate_serial: str) -> SoPinAuthorisation:
    """PKCS#11 path: release the token's SO PIN and its replacement, inside this unlock."""
    order = _ready_order(db, caller, order_no, key_serial, certificate_serial)
    ukey = get_ukey(db, order.key_serial, for_update=True)  # parallel calls: one release
    if ukey.driver is not UKeyDriver.PKCS11 or ukey.so_pin_sealed is None:
        raise Conflict("not_pkcs11", "该U-KEY不支持此解锁方式，请使用深圳CA驱动程序重新解锁")
    if ukey.pending_so_pin_sealed is not None:
        # Released and not confirmed: the token holds the old or the new SO PIN, both
        # already disclosed once. The agent that got them finishes (or an operator).
        raise SoPinAlreadyReleased()
    granted = ctx.authority.authorise_so_pin(order.key_serial, bound_key_serial=order.key_serial,
                                             sealed_so_pin=ukey.so_pin_sealed)
    set_pending_so_pin(db, order.key_serial, granted.sealed_new_so_pin, now=ctx.clock())
    add_unlock_authorisation(db, order, public_id=granted.id, kind=AuthorisationKind.SO_PIN,
                             key_serial=order.key_serial, expires_at=granted.expires_at,
                             sealed_new_so_pin=granted.sealed_new_so_pin, now=ctx.clock())
    return granted


def confirm_so_pin(ctx: ServiceContext, db: Session, caller: Principal, order_no: str,
                   public_id: str, token_serial: str) -> OrderRow:
    order = orders.own_order(db, caller, order_no)
    row = _own_authorisation(db, order, public_id, AuthorisationKind.SO_PIN)
    ctx.authority.confirm_so_pin(SoPinAuthorisation(
        id=row.public_id, key_serial=row.key_serial, expires_at=row.expires_at,
        confirmed_at=row.confirmed_at), token_serial.strip())
    _complete(ctx, db, order, public_id, caller, f"令牌 {row.key_serial} 已解锁")
    # The token now answers to the new SO PIN: it becomes the stored one, never reused.
    ukey = get_ukey(db, row.key_serial)
    ukey.so_pin_sealed, ukey.pending_so_pin_sealed = row.sealed_new_so_pin, None
    return order
