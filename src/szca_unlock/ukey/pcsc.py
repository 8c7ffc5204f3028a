"""PC/SC driver: the SZCA card application over pyscard (docs/unlock-protocol.md)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from szca_unlock.domain.pin_policy import PinPolicy
from szca_unlock.logsetup import get_logger
from szca_unlock.ukey import apdu
from szca_unlock.ukey.apdu import SW, CommandAPDU, GetDataTag, ResponseAPDU
from szca_unlock.ukey.base import ChallengeUnlockable, UKey
from szca_unlock.ukey.card_status import Counter, card_error
from szca_unlock.ukey.errors import CardError, NotAUKey, ReaderError
from szca_unlock.ukey.pcsc_transport import CardConnection, PyscardConnection, pcsc_reader_names
from szca_unlock.ukey.types import CardPinInfo, DriverKind, KeyInfo, PinStatus

log = get_logger("ukey.pcsc")
MAX_CERT_LEN = 0x8000  # 15-bit READ BINARY offsets


def raw_to_der_signature(raw: bytes) -> bytes:
    """The card's ``r ‖ s`` (P-256: 32 + 32 bytes) as the DER ``ECDSA-Sig-Value``."""
    if len(raw) != 64:
        raise CardError(SW.OK, "U-KEY 返回的签名长度不正确")
    return encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))


class PcscKey(UKey, ChallengeUnlockable):
    """One card session with the SZCA application selected."""

    def __init__(self, conn: CardConnection, info: KeyInfo | None = None) -> None:
        self._conn = conn
        try:
            self.fci = self._check(self._send(apdu.select_aid()))
            serial = self.serial()
        except Exception:
            conn.close()
            raise
        self.info = info or KeyInfo(serial, DriverKind.PCSC, "")
        if self.info.serial != serial:  # swapped between listing and opening
            conn.close()
            raise NotAUKey("读卡器中的 U-KEY 已更换，请刷新网页后重新操作")

    # -- transport ---------------------------------------------------------------------
    def _send(self, command: CommandAPDU) -> ResponseAPDU:
        resp = ResponseAPDU.parse(self._conn.transmit(command.render()))
        if resp.sw >> 8 == 0x6C:  # wrong Le: the card tells the right one
            resp = ResponseAPDU.parse(self._conn.transmit(
                CommandAPDU(command.cla, command.ins, command.p1, command.p2, command.data,
                            le=(resp.sw & 0xFF) or 256).render()))
        data = resp.data
        while resp.sw >> 8 == 0x61:  # T=0 style: more data waiting
            resp = ResponseAPDU.parse(self._conn.transmit(apdu.get_response(resp.sw & 0xFF)
                                                          .render()))
            data += resp.data
        return ResponseAPDU(data, resp.sw)

    @staticmethod
    def _check(resp: ResponseAPDU, counter: Counter = "user") -> bytes:
        if not resp.ok:
            raise card_error(resp.sw, counter)
        return resp.data

    def _call(self, command: CommandAPDU, counter: Counter = "user") -> bytes:
        return self._check(self._send(command), counter)

    # -- UKey ----------------------------------------------------------------------------
    def serial(self) -> str:
        raw = self._call(apdu.get_data(GetDataTag.KEY_SERIAL))
        try:
            return raw.decode("ascii")
        except UnicodeDecodeError as exc:
            raise CardError(SW.OK, "U-KEY 序列号格式不正确") from exc

    def pin_info(self) -> CardPinInfo:
        return CardPinInfo.parse(self._call(apdu.get_data(GetDataTag.PIN_INFO)))

    def pin_status(self) -> PinStatus:
        return self.pin_info().pin_status

    def pin_policy(self) -> PinPolicy:
        info = self.pin_info()
        return PinPolicy(info.pin_min_len, info.pin_max_len)

    def is_verified(self) -> bool:
        """VERIFY with Lc = 0: no try used."""
        resp = self._send(apdu.verify(None))
        if resp.ok:
            return True
        error = card_error(resp.sw)
        if error.tries_left is not None or resp.sw == SW.BLOCKED:
            return False
        raise error

    def certificate(self) -> bytes:
        out = bytearray()
        while len(out) < MAX_CERT_LEN:
            offset = len(out)
            cmd = (apdu.read_binary(offset, sfi=apdu.CERT_SFI) if offset == 0
                   else apdu.read_binary(offset))
            resp = self._send(cmd)
            if resp.sw == SW.WRONG_OFFSET and offset > 0:
                break  # the file ended exactly at a chunk boundary
            if resp.sw not in (SW.OK, SW.END_OF_FILE):
                raise card_error(resp.sw)
            out += resp.data
            if resp.sw == SW.END_OF_FILE or len(resp.data) < apdu.READ_CHUNK:
                break
        if not out:
            raise CardError(SW.OK, "U-KEY 中没有证书")
        return bytes(out)

    def verify_pin(self, pin: str) -> None:
        self._call(apdu.verify(pin))

    def change_pin(self, old_pin: str, new_pin: str) -> None:
        self._call(apdu.change_reference_data(old_pin, new_pin))

    def sign(self, data: bytes) -> bytes:
        digest = hashlib.sha256(data).digest()
        return raw_to_der_signature(self._call(apdu.pso_compute_signature(digest)))

    # -- unlock --------------------------------------------------------------------------
    def get_challenge(self) -> bytes:
        challenge = self._call(apdu.get_challenge())
        if len(challenge) != apdu.CHALLENGE_LEN:
            raise CardError(SW.OK, "U-KEY 返回的随机数长度不正确")
        return challenge

    def last_reset(self) -> tuple[bytes, bytes] | None:
        resp = self._send(apdu.get_data(GetDataTag.LAST_RESET))
        if resp.sw == SW.DATA_NOT_FOUND:
            return None
        data = self._check(resp)
        if len(data) != 2 * apdu.CHALLENGE_LEN:
            raise CardError(SW.OK, "U-KEY 返回的解锁记录长度不正确")
        return data[:apdu.CHALLENGE_LEN], data[apdu.CHALLENGE_LEN:]

    def reset_retry_counter(self, cryptogram: bytes, new_pin: str) -> bytes:
        receipt = self._call(apdu.reset_retry_counter(cryptogram, new_pin), counter="admin")
        if len(receipt) != 16:
            raise CardError(SW.OK, "U-KEY 返回的解锁回执长度不正确")
        log.info("card %s: retry counter reset", self.info.serial)
        return receipt

    def close(self) -> None:
        self._conn.close()


class PcscDriver:
    """Finds SZCA U-KEYs in PC/SC readers. ``reader_names`` / ``connect`` default to pyscard
    and are injectable for tests."""

    kind = DriverKind.PCSC

    def __init__(self, reader_names: Callable[[], list[str]] = pcsc_reader_names,
                 connect: Callable[[str], CardConnection] = PyscardConnection) -> None:
        self._reader_names = reader_names
        self._connect = connect

    def list_keys(self) -> list[KeyInfo]:
        """Keys in every reader holding an SZCA card; other cards and empty readers skipped."""
        found = []
        for reader in self._reader_names():
            try:
                key = PcscKey(self._connect(reader))
            except (ReaderError, CardError):  # empty reader or another application's card
                continue
            with key:
                found.append(KeyInfo(key.info.serial, DriverKind.PCSC, reader))
        return found

    def open(self, key: KeyInfo) -> PcscKey:
        return PcscKey(self._connect(key.reader), key)
