"""Software the project did not write uses the virtual U-KEY through its PIV application:
OpenSC (opensc-tool, pkcs15-tool, pkcs11-tool with opensc-pkcs11.so), OpenSSL through
libp11's PKCS#11 engine, NSS (modutil + certutil) — through pcscd and vpcd, with the PIN
locked by wrong logins and unlocked by the 网厅's real-time unlock (service + agent)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, utils
from cryptography.x509.oid import NameOID
from opensc_tools import OpenSC, own_reader_conf, pkcs11_engine, require

from emulator.personas import Scenario, TestCA
from emulator.testing.api import Api, Flows, unlock_with_agent
from emulator.testing.keys import NEW_PIN, ReaderKey, personalise
from emulator.virtual_ukey.commands import SELECT_AID
from emulator.virtual_ukey.commands import verify as szca_verify
from emulator.virtual_ukey.factory import CertificateIssuer
from emulator.virtual_ukey.piv.view import OPENSC_CARD_NAME, piv_view
from emulator.virtual_ukey.reader import ReaderChannel
from emulator.virtual_ukey.world import VirtualUKeyWorld

pytestmark = pytest.mark.pcsc
PIN = "123456"


@pytest.fixture
def ukey_key_store() -> str:
    return "softhsm"  # the product's key store; the card logic is the same for both


@pytest.fixture
def ukey_issuer() -> CertificateIssuer:
    """Certificates with a CN of their own: NSS names certificates by token label (the CN),
    and libp11 finds the token by its serial; neither may be another card's."""
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "PIV middleware test CA")])

    def issue(public_key: ec.EllipticCurvePublicKey) -> bytes:
        now = dt.datetime.now(dt.UTC)
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME,
                                                f"PIV holder {secrets.token_hex(4)}")])
        cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(ca_name)
                .public_key(public_key).serial_number(x509.random_serial_number())
                .not_valid_before(now - dt.timedelta(minutes=5))
                .not_valid_after(now + dt.timedelta(days=365)).sign(ca_key, hashes.SHA256()))
        return cert.public_bytes(serialization.Encoding.DER)

    return issue


def tools_for(world: VirtualUKeyWorld, reader: str, tmp_path: Path) -> OpenSC:
    others = [name for name in world.readers() if name != reader]
    return OpenSC(reader, own_reader_conf(tmp_path / "opensc.conf", others))


@pytest.fixture
def piv_card(ukey_inserted_card, ukey_world: VirtualUKeyWorld, tmp_path: Path):
    card = ukey_inserted_card(pin=PIN)
    return card, tools_for(ukey_world, card.reader, tmp_path)


def certificate_pem(cert_der_hex: str, path: Path) -> Path:
    cert = x509.load_der_x509_certificate(bytes.fromhex(cert_der_hex))
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return path


def sign_and_verify(tools: OpenSC, key_id: str, pin: str, cert_pem: Path, tmp: Path) -> None:
    """pkcs11-tool signs with ECDSA-SHA256; openssl verifies against the certificate."""
    message, signature = tmp / f"message-{key_id}", tmp / f"signature-{key_id}"
    message.write_bytes(b"signed through OpenSC's PKCS#11 module " + key_id.encode())
    tools.pkcs11("--login", "--pin", pin, "--sign", "-m", "ECDSA-SHA256", "--id", key_id,
                 "-i", str(message), "-o", str(signature), "--signature-format", "openssl")
    tools.run("openssl", "x509", "-in", str(cert_pem), "-pubkey", "-noout", "-out",
              str(tmp / "public.pem"))
    verified = tools.run("openssl", "dgst", "-sha256", "-verify", str(tmp / "public.pem"),
                         "-signature", str(signature), str(message))
    assert "Verified OK" in verified.stdout


def test_opensc_names_a_piv_card_and_pkcs15_lists_certificate_key_and_pin(piv_card) -> None:
    card, tools = piv_card
    number = tools.reader_number()
    assert tools.run("opensc-tool", "-r", number, "-n").stdout.strip() == OPENSC_CARD_NAME
    dump = tools.run("pkcs15-tool", "-r", number, "-D").stdout
    view = piv_view(card.state)
    assert f"Serial number  : {view.guid}" in dump
    assert re.search(r"PIN \[PIN\].*?Reference\s+: 128 \(0x80\)", dump, re.S), dump
    assert re.search(r"Private EC Key \[PIV AUTH key\].*?Key ref\s+: 154 \(0x9A\)", dump, re.S)
    assert re.search(r"Private EC Key \[SIGN key\].*?Key ref\s+: 156 \(0x9C\)", dump, re.S)
    assert "X.509 Certificate [Certificate for PIV Authentication]" in dump
    pem = tools.run("pkcs15-tool", "-r", number, "--read-certificate", "01").stdout
    on_card = x509.load_pem_x509_certificate(pem.encode())
    assert on_card.public_bytes(serialization.Encoding.DER).hex() == card.state.cert_der


def test_long_objects_through_the_reader_extended_chained_or_get_response(piv_card) -> None:
    """pcscd + vpcd carry extended APDUs; short ones get 61xx + GET RESPONSE; a chained
    GENERAL AUTHENTICATE signs."""
    card, _ = piv_card
    der = bytes.fromhex(card.state.cert_der)
    with ReaderChannel(card.reader) as channel:
        whole = channel.transmit("00CB3FFF0000055C035FC1050000")  # extended Le 0000
        assert whole.sw == 0x9000 and der in whole.data
        first = channel.transmit("00CB3FFF055C035FC10540")  # Le 64
        assert first.sw >> 8 == 0x61 and len(first.data) == 64
        data, sw = first.data, first.sw
        while sw >> 8 == 0x61:
            more = channel.transmit(f"00C00000{sw & 0xFF:02X}")
            data, sw = data + more.data, more.sw
        assert sw == 0x9000 and data == whole.data
        pin = PIN.encode().ljust(8, b"\xff")
        assert channel.sw(bytes([0x00, 0x20, 0x00, 0x80, 8]) + pin) == 0x9000
        digest = hashlib.sha256(b"chained through pcscd").digest()
        template = bytes([0x7C, 36, 0x82, 0x00, 0x81, 32]) + digest
        assert channel.sw(bytes([0x10, 0x87, 0x11, 0x9A, 16]) + template[:16]) == 0x9000
        signed = channel.transmit(bytes([0x00, 0x87, 0x11, 0x9A, len(template) - 16])
                                  + template[16:] + b"\x00")
    assert signed.sw == 0x9000
    signature = signed.data[4:]  # 7C len 82 len DER
    holder = x509.load_der_x509_certificate(der).public_key()
    assert isinstance(holder, ec.EllipticCurvePublicKey)
    holder.verify(signature, digest, ec.ECDSA(utils.Prehashed(hashes.SHA256())))


def test_opensc_explorer_starts_on_the_mf_with_the_iso_driver(piv_card) -> None:
    """OpenSC's generic ISO 7816 driver: SELECT MF (P2 0C, then with FCI) succeeds, so the
    explorer starts at 3F00; raw APDUs reach both applications from there."""
    card, tools = piv_card
    script = ("cd 3F00\n"
              "apdu 00 A4 04 0C 09 A0 00 00 03 08 00 00 10 00\n"
              "apdu 00 CB 3F FF 03 5C 01 7E 00\n"
              "apdu 00 CA 01 01 00\n")
    done = tools.run("opensc-explorer", "-r", tools.reader_number(), "-c", "default",
                     input_text=script)
    assert "unable to select MF" not in done.stderr
    assert "OpenSC [3F00]>" in done.stdout
    assert done.stdout.count("Received (SW1=0x90, SW2=0x00)") == 3, done.stdout
    assert "7E 12 4F 0B A0 00 00 03 08 00 00 10 00 01 00" in done.stdout
    assert card.serial[:8] in done.stdout  # the serial's first ASCII bytes, in the dump


def test_pkcs11_tool_lists_the_token_its_objects_and_signs(piv_card, tmp_path: Path) -> None:
    card, tools = piv_card
    view = piv_view(card.state)
    slot = tools.slot_listing()
    assert f"token label        : {view.token_label}" in slot
    assert f"serial num         : {view.token_serial}" in slot
    assert "PIN initialized" in slot and "locked" not in slot
    objects = tools.pkcs11("--login", "--pin", PIN, "-O").stdout
    assert objects.count("Private Key Object; EC") == 2
    assert "Certificate Object; type = X.509 cert" in objects
    cert_pem = certificate_pem(card.state.cert_der, tmp_path / "holder.pem")
    sign_and_verify(tools, "01", PIN, cert_pem, tmp_path)  # 9A
    sign_and_verify(tools, "02", PIN, cert_pem, tmp_path)  # 9C: PIN Always, context login


def test_pin_changed_through_pkcs11_is_the_pin_of_the_ca_application(piv_card) -> None:
    card, tools = piv_card
    tools.pkcs11("--login", "--pin", PIN, "--change-pin", "--new-pin", "86420135")
    with ReaderChannel(card.reader) as channel:
        assert channel.sw(SELECT_AID) == 0x9000
        assert channel.sw(szca_verify(PIN)) == 0x63C5  # the old PIN is gone everywhere
        assert channel.sw(szca_verify("86420135")) == 0x9000


def test_every_reader_has_a_pkcs11_slot(piv_card, ukey_world: VirtualUKeyWorld) -> None:
    """With the shipped configuration (no reader ignored) OpenSC gives every reader of the
    world a slot (its defaults: only 4 of 8)."""
    card, _ = piv_card
    tools = OpenSC(card.reader)
    listing = tools.slots()
    for reader in ukey_world.readers():
        assert re.search(rf"^Slot \d+ \(0x[0-9a-f]+\): {re.escape(reader)}$", listing, re.M), \
            listing


def test_openssl_signs_a_csr_and_a_file_through_the_pkcs11_engine(
        piv_card, tmp_path: Path) -> None:
    card, tools = piv_card
    engine = pkcs11_engine()
    conf = tmp_path / "openssl.cnf"
    conf.write_text(
        "openssl_conf = openssl_init\n[openssl_init]\nengines = engines\n"
        "[engines]\npkcs11 = pkcs11\n"
        f"[pkcs11]\nengine_id = pkcs11\ndynamic_path = {engine}\n"
        f"MODULE_PATH = {tools.module}\ninit = 0\n"
        "[req]\ndistinguished_name = dn\n[dn]\n")
    tools.env["OPENSSL_CONF"] = str(conf)
    key = f"pkcs11:serial={piv_view(card.state).token_serial};id=%01;type=private;pin-value={PIN}"
    request = tmp_path / "request.pem"
    tools.run("openssl", "req", "-new", "-engine", "pkcs11", "-keyform", "engine", "-key", key,
              "-subj", f"/CN={card.serial}", "-out", str(request))
    csr = x509.load_pem_x509_csr(request.read_bytes())
    holder = x509.load_der_x509_certificate(bytes.fromhex(card.state.cert_der))
    assert csr.is_signature_valid
    assert csr.public_key() == holder.public_key()

    message, signature = tmp_path / "file.txt", tmp_path / "file.sig"
    message.write_text("签名的文件\n")
    tools.run("openssl", "dgst", "-sha256", "-engine", "pkcs11", "-keyform", "engine",
              "-sign", key, "-out", str(signature), str(message))
    public = holder.public_key()
    assert isinstance(public, ec.EllipticCurvePublicKey)
    public.verify(signature.read_bytes(), message.read_bytes(), ec.ECDSA(hashes.SHA256()))


def test_nss_lists_the_certificate_from_the_module(piv_card, tmp_path: Path) -> None:
    card, tools = piv_card
    require("certutil", "modutil")
    db = f"sql:{tmp_path / 'nssdb'}"
    (tmp_path / "nssdb").mkdir()
    tools.run("certutil", "-N", "-d", db, "--empty-password")
    tools.run("modutil", "-dbdir", db, "-add", "SZCA U-KEY (OpenSC)", "-libfile", tools.module,
              "-force", input_text="\n")
    assert "SZCA U-KEY (OpenSC)" in tools.run("modutil", "-dbdir", db, "-list").stdout
    label = piv_view(card.state).token_label
    listing = tools.run("certutil", "-L", "-d", db, "-h", "all", input_text="").stdout
    nickname = f"{label}:Certificate for PIV Authentication"
    assert nickname in listing, listing
    pin_file = tmp_path / "pin.txt"  # what the browser's PIN dialog would take
    pin_file.write_text(PIN + "\n")
    pem = tools.run("certutil", "-L", "-d", db, "-h", label, "-f", str(pin_file),
                    "-n", nickname, "-a", input_text="").stdout
    on_token = x509.load_pem_x509_certificate(pem.encode())
    assert on_token.public_bytes(serialization.Encoding.DER).hex() == card.state.cert_der
    keys = tools.run("certutil", "-K", "-d", db, "-h", label, "-f", str(pin_file),
                     input_text="").stdout
    assert "PIV AUTH key" in keys and "SIGN key" in keys


def test_locked_through_pkcs11_then_unlocked_by_the_online_hall(
        api: Api, scenario: Scenario, test_ca: TestCA, ukey_world: VirtualUKeyWorld,
        ukey_master_key: bytes, tmp_path: Path) -> None:
    """Wrong logins until CKR_PIN_LOCKED; -L shows it; 实时解锁 with the agent; then
    pkcs11-tool logs in with the new PIN and signs for the persona's certificate."""
    persona, holder = scenario.certificate("natural"), scenario.people["citizen"]
    key = ReaderKey(persona, ukey_world)
    key.discard()
    personalise(ukey_world.repo, test_ca, persona, ukey_master_key)
    try:
        key.insert()
        assert key.reader is not None
        tools = tools_for(ukey_world, key.reader, tmp_path)
        answers = [tools.pkcs11("--login", "--pin", "000000", "-O", check=False)
                   for _ in range(6)]
        codes = [re.search(r"CKR_PIN_\w+", a.stdout + a.stderr) for a in answers]
        assert [c.group(0) if c else None for c in codes] == ["CKR_PIN_INCORRECT"] * 5 + [
            "CKR_PIN_LOCKED"]
        assert "user PIN locked" in tools.slot_listing()
        refused = tools.pkcs11("--login", "--pin", persona.pin, "-O", check=False)
        assert "CKR_PIN_LOCKED" in refused.stdout + refused.stderr

        new_pin = NEW_PIN  # letters and digits, as the 网厅 allows: fine for PIV's 8 bytes
        assert len(new_pin) <= 8
        api.login(holder.mobile)
        order_no = Flows(api).open(persona.serial_hex)
        Flows(api).verify(order_no, "identity", "carrier", holder)
        assert unlock_with_agent(api, order_no, key, pin=new_pin) == "completed"

        assert "locked" not in tools.slot_listing()
        old = tools.pkcs11("--login", "--pin", persona.pin, "-O", check=False)
        assert "CKR_PIN_INCORRECT" in old.stdout + old.stderr
        cert_pem = tmp_path / "persona.pem"
        cert_pem.write_bytes(key.certificate().public_bytes(serialization.Encoding.PEM))
        sign_and_verify(tools, "01", new_pin, cert_pem, tmp_path)
    finally:
        key.discard()
