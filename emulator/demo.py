"""``szca-emulator demo``: one complete ORG-RT unlock (机构证书, 实时解锁) against the
emulated world, printed step by step as the user would see it.

The world is the real one of ``szca-emulator up``: pcscd with virtual U-KEYs, the mock
providers over HTTP, the service in its own process. The demo plays the user: it types
wrong PINs until the key locks, logs in with the SMS code from the provider's outbox,
answers the flow's questions from the persona, "scans" the WeChat QR code through the
face provider's control API, and unlocks the key through the reader with the agent.
"""

from __future__ import annotations

import threading
import time
from urllib.parse import parse_qs, urlparse

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from emulator.mock_providers.client import ProviderControl
from emulator.personas import Scenario
from emulator.stack import Stack, StackConfig, StackError
from emulator.virtual_ukey import pcsc
from emulator.virtual_ukey.apdu import StatusWord
from emulator.virtual_ukey.commands import SELECT_AID, verify
from emulator.virtual_ukey.reader import ReaderChannel
from szca_unlock.api.errors import ApiError
from szca_unlock.client import ServiceClient
from szca_unlock.client.flows import PersonAnswers, RealtimeChoices, run_key_unlock, run_realtime
from szca_unlock.domain.certificates import CertificateKind
from szca_unlock.ukey.pcsc import PcscDriver

NEW_PIN = "Szca2026"
SIGNED = b"szca demo"
PHONE_SCAN_DELAY_S = 1.0


class DemoUser:
    """A ``Prompter`` that answers like the persona and reads codes where a user would."""

    def __init__(self, control: ProviderControl) -> None:
        self.control = control
        self.sms_mobile: str | None = None

    def say(self, text: str) -> None:
        print(f"  {text}", flush=True)
        if "faceid.qq.com" in text:
            token = parse_qs(urlparse(text.split(":", 1)[-1].strip()).query)["token"][0]
            print("（模拟：用户用微信扫码并完成活体认证）", flush=True)
            threading.Timer(PHONE_SCAN_DELAY_S, self.control.face_complete,
                            args=(token, "pass")).start()

    def ask(self, label: str, *, secret: bool = False) -> str:
        if "验证码" in label and self.sms_mobile:
            sms = self.control.last_sms(self.sms_mobile)
            print(f"（短信）{sms.text}", flush=True)
            code = sms.params[0]  # templates 1000001/1000002: {1} is the code
            print(f"  {label}：{code}（读取自模拟短信网关）", flush=True)
            return code
        raise RuntimeError(f"the demo has no answer for {label!r}")


def _request_login_code(client: ServiceClient, mobile: str) -> str:
    """Ask for the login code; after a recent run, wait out the 60 s resend countdown."""
    try:
        return client.request_sms_code(mobile).message
    except ApiError as error:
        if error.code != "otp.resend_too_soon" or not error.retry_after:
            raise
        print(f"  {error.message}（演示程序等待倒计时结束）", flush=True)
        time.sleep(error.retry_after)
        return client.request_sms_code(mobile).message


def _step(title: str) -> None:
    print(f"\n== {title}", flush=True)


def lock_key(reader: str) -> None:
    with ReaderChannel(reader) as channel:
        channel.sw(SELECT_AID)
        while True:
            sw = channel.sw(verify("000000"))
            tries = f"还可尝试{sw & 0x0F}次" if sw & 0xFFF0 == 0x63C0 else "已锁定"
            print(f"  输入错误PIN 000000 → SW {sw:04X}（{tries}）", flush=True)
            if sw != StatusWord.OK and sw & 0xFFF0 != 0x63C0:
                return


def check_key(reader: str, new_pin: str) -> None:
    """Through the reader, as the CA driver tool would: the new PIN verifies, and the key
    signs data that verifies against the certificate it holds."""
    driver = PcscDriver(reader_names=lambda: [reader])
    with driver.open(driver.list_keys()[0]) as key:
        key.verify_pin(new_pin)  # raises PinIncorrect / PinBlocked with the card's SW
        print("  新PIN校验 → SW 9000", flush=True)
        signature = key.sign(SIGNED)
        certificate = x509.load_der_x509_certificate(key.certificate())
    public_key = certificate.public_key()
    assert isinstance(public_key, ec.EllipticCurvePublicKey)
    public_key.verify(signature, SIGNED, ec.ECDSA(hashes.SHA256()))
    print("  U-KEY 签名已用证书公钥验证通过", flush=True)


def _org_choices(scenario: Scenario, serial: str) -> RealtimeChoices:
    company = scenario.certificate_by_serial(serial).company
    assert company is not None
    op, legal = company.operator, company.legal_rep
    return RealtimeChoices(
        operator_method="carrier", enterprise_method="legal_face",
        operator=PersonAnswers(op.name, op.id_number, op.mobile),
        legal_rep=PersonAnswers(legal.name, legal.id_number),
        poll_interval_s=0.5, face_timeout_s=60)


def run_demo(config: StackConfig, *, new_pin: str = NEW_PIN, stay_up: bool = False) -> int:
    """The demo in the world of ``config.home``; ``stay_up`` leaves that world running
    afterwards (orders, journals, cards to look at; ``szca-emulator down`` stops it)."""
    stack = Stack(config)
    if not pcsc.bind_process(stack.world.socket):  # the agent below talks to this world
        raise StackError(f"环境变量 {pcsc.CSOCK_ENV} 指向另一个虚拟 U-KEY 环境，"
                         f"演示需要 {stack.world.socket}；请 unset {pcsc.CSOCK_ENV} 后重试")
    _step("启动模拟环境（pcscd + 虚拟U-KEY、模拟服务商、网厅服务）")
    scenario = stack.scenario()
    persona = next(c for c in scenario.certificates
                   if c.kind is CertificateKind.ORG and c.driver == "pcsc")
    record = stack.up(insert=[persona.key_serial])
    try:
        key = next(k for k in record.keys if k.serial == persona.key_serial)
        assert key.reader is not None
        print(f"  网厅 {record.service_url}  模拟服务商 {record.providers_url}")
        print(f"  机构证书 {key.certificate_serial}（{key.holder}）在 U-KEY {key.serial}，"
              f"读卡器「{key.reader}」")
        _step("U-KEY 被锁：连续输错PIN")
        lock_key(key.reader)
        control = ProviderControl(record.providers_url)
        user = DemoUser(control)
        with ServiceClient(record.service_url) as client:
            _step("C-1 网厅登录（短信验证码）")
            user.sms_mobile = persona.applicant_mobile
            print(f"  {_request_login_code(client, persona.applicant_mobile)}")
            code = user.ask("请输入短信验证码")
            print(f"  登录成功：{client.login(persona.applicant_mobile, code).mobile_masked}")
            _step("ORG-RT-2 阅读解锁指南，勾选服务协议")
            accepted = client.accept_agreements()
            print("  已同意" + "".join(a.title for a in accepted.accepted))
            _step("ORG-RT-3..8 证书确认、实时解锁、经办人手机实名、授权委托书、法人人脸")
            user.sms_mobile = persona.company.operator.mobile if persona.company else None
            order = run_realtime(client, user, key.certificate_serial,
                                 _org_choices(scenario, key.certificate_serial))
            _step("ORG-RT-9 / C-5 立即解锁：插入U-KEY，设置新密码")
            run_key_unlock(client, user, order.order_no, PcscDriver(), new_pin=new_pin)
            final = client.get_order(order.order_no)
            print(f"  业务单 {final.order_no} 状态：{final.state_label}")
        _step("在读卡器上检查 U-KEY")
        check_key(key.reader, new_pin)
        print("\n演示完成：机构证书 U-KEY 已通过实时解锁重置密码。", flush=True)
        return 0
    finally:
        if stay_up:
            print(f"\n模拟环境保持运行（{config.home}）；停止：szca-emulator down", flush=True)
        else:
            _step("停止模拟环境")
            stack.down()
