"""The PKCS#11 persona of ``szca-emulator up``: a SoftHSM2 token the world provisions,
unlocked end to end (SMS login, PER-RT with the carrier method, 立即解锁 through the
PKCS#11 driver) and checked with OpenSC's pkcs11-tool, an implementation independent of
ours."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from emulator.cli import print_world
from emulator.demo import DemoUser
from emulator.mock_providers.client import ProviderControl
from emulator.mock_providers.server import free_port
from emulator.stack import KeyInfo, Stack, StackConfig
from emulator.virtual_ukey.pkcs11_tokens import MODULE, pkcs11_tool
from szca_unlock.client import ServiceClient
from szca_unlock.client.flows import PersonAnswers, RealtimeChoices, run_key_unlock, run_realtime
from szca_unlock.store.database import Database
from szca_unlock.store.repo_pki import get_ukey
from szca_unlock.ukey import DriverKind, PinIncorrect
from szca_unlock.ukey.pkcs11_driver import Pkcs11Driver
from szca_unlock.unlock import open_secret

pytestmark = [pytest.mark.pcsc, pytest.mark.softhsm]  # up starts pcscd too

if shutil.which("pcscd") is None or shutil.which("softhsm2-util") is None \
        or shutil.which("pkcs11-tool") is None or not Path(MODULE).exists():
    pytest.skip("needs pcscd, SoftHSM2 and OpenSC (scripts/install-system-deps.sh)",
                allow_module_level=True)

NEW_PIN = "Szca2026"


def _stored_so_pin(stack: Stack, key_serial: str) -> str:
    """The token's SO PIN as the service's database holds it (sealed under the master key)."""
    db = Database(stack.database_url)
    try:
        with db.session(readonly=True) as session:
            sealed = get_ukey(session, key_serial).so_pin_sealed
    finally:
        db.dispose()
    assert sealed is not None
    return open_secret(bytes.fromhex(stack.master_key_hex), sealed, context=key_serial)


def _so_login(key: KeyInfo, so_pin: str) -> tuple[bool, str]:
    assert key.softhsm2_conf is not None
    done = pkcs11_tool(Path(key.softhsm2_conf), key.serial, "--login", "--login-type", "so",
                       "--so-pin", so_pin, "--session-rw", "--list-objects")
    return done.returncode == 0, done.stdout + done.stderr


def _user_login(key: KeyInfo, pin: str) -> tuple[bool, str]:
    assert key.softhsm2_conf is not None
    done = pkcs11_tool(Path(key.softhsm2_conf), key.serial, "--login", "--pin", pin,
                       "--list-objects", "--type", "privkey")
    return done.returncode == 0, done.stdout + done.stderr


def _forget_pin(driver: Pkcs11Driver) -> None:
    """The user tries PINs they believe in; none works (SoftHSM counts nothing, locks never)."""
    (info,) = driver.list_keys()
    with driver.open(info) as key:
        for wrong in ("000000", "111111", "654321", "123123"):
            with pytest.raises(PinIncorrect):
                key.verify_pin(wrong)
        assert not key.pin_status().blocked


def test_up_provisions_the_pkcs11_token_and_the_agent_unlocks_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    config = StackConfig(home=tmp_path / "home", service_port=free_port(),
                         providers_port=free_port())
    stack = Stack(config)
    scenario = stack.scenario()
    persona, holder = scenario.certificate("natural_pkcs11"), scenario.people["citizen"]
    record = stack.up()
    try:
        key = next(k for k in record.keys if k.serial == persona.key_serial)
        assert (key.driver, key.reader) == ("pkcs11", None)
        assert key.softhsm2_conf == str(config.home / "ukey" / "softhsm-pkcs11" / "softhsm2.conf")
        print_world(record)
        listing = capsys.readouterr().out
        assert f"{persona.key_serial}  证书序列号 {persona.serial_hex}" in listing
        assert "PKCS#11 (SoftHSM2)" in listing
        assert f"export SOFTHSM2_CONF={key.softhsm2_conf}" in listing

        old_so_pin = _stored_so_pin(stack, persona.key_serial)
        assert _so_login(key, old_so_pin)[0]  # the sealed SO PIN is the token's
        monkeypatch.setenv("SOFTHSM2_CONF", key.softhsm2_conf or "")
        driver = Pkcs11Driver(MODULE, serial_from="label")
        driver.refresh()
        _forget_pin(driver)

        user = DemoUser(ProviderControl(record.providers_url))
        user.sms_mobile = holder.mobile
        with ServiceClient(record.service_url) as client:
            client.request_sms_code(holder.mobile)
            client.login(holder.mobile, user.ask("请输入短信验证码"))
            client.accept_agreements()
            order = run_realtime(client, user, persona.serial_hex, RealtimeChoices(
                identity_method="carrier",
                applicant=PersonAnswers(holder.name, holder.id_number, holder.mobile)))
            assert order.key_serial == persona.key_serial
            result = run_key_unlock(client, user, order.order_no, driver, new_pin=NEW_PIN)
            final = client.get_order(order.order_no)
        assert (result.driver, result.key_serial) == (DriverKind.PKCS11, persona.key_serial)
        assert final.state_label == "已解锁"

        ok, out = _user_login(key, NEW_PIN)
        assert ok and "Private Key Object" in out, out
        ok, out = _user_login(key, persona.pin)
        assert not ok and "CKR_PIN_INCORRECT" in out
        ok, out = _so_login(key, old_so_pin)  # released to the agent, then rotated
        assert not ok and "CKR_PIN_INCORRECT" in out
        new_so_pin = _stored_so_pin(stack, persona.key_serial)
        assert new_so_pin != old_so_pin and _so_login(key, new_so_pin)[0]
    finally:
        assert stack.down() is True

    # The next `up` keeps the unlocked token and the rotated SO PIN the service stored.
    stack.prepare()
    assert _stored_so_pin(stack, persona.key_serial) == new_so_pin
    assert _user_login(key, NEW_PIN)[0]
