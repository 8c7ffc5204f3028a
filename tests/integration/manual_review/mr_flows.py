"""The manual-review flows as an applicant and a reviewer click through them, plus the
sample files they upload (made here, so every test knows exactly what it sends)."""

from __future__ import annotations

import io
from typing import Any

from PIL import Image, ImageDraw

from emulator.personas import Company, Person, PersonaCertificate
from emulator.testing.api import Api, biz_token

STAFF_USER, STAFF_PASSWORD = "reviewer1", "Szca-Review-2026"


def jpeg(width: int = 800, height: int = 560, text: str = "ID") -> bytes:
    image = Image.new("RGB", (width, height), (236, 240, 246))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, width - 40, height - 40), outline=(20, 40, 90), width=6)
    draw.text((80, 80), text, fill=(10, 10, 10))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


def org_form(company: Company, **overrides: Any) -> dict[str, Any]:
    operator = company.operator
    form = {"org_name": company.name, "org_id_type": "统一社会信用代码证",
            "org_id_number": company.uscc, "fee": "0", "province": company.province,
            "city": company.city, "address": company.address or "深圳市福田区福华三路100号",
            "operator_name": operator.name, "operator_id_number": operator.id_number,
            "operator_mobile": operator.mobile, "operator_title": operator.title or "行政专员",
            "operator_email": operator.email or "operator@example.com"}
    form.update(overrides)
    return form


def personal_form(holder: Person, **overrides: Any) -> dict[str, Any]:
    form = {"applicant_name": holder.name, "applicant_id_number": holder.id_number,
            "applicant_mobile": holder.mobile}
    form.update(overrides)
    return form


class Applicant:
    """One logged-in applicant on the manual-review pages."""

    def __init__(self, api: Api) -> None:
        self.api = api

    def open(self, persona: PersonaCertificate) -> str:
        order = self.api.ok("POST", "/orders", json={"certificate_serial": persona.serial_hex,
                                                     "mode": "manual"})
        assert order["mode"] == "manual" and order["state"] == "draft"
        return str(order["order_no"])

    def page(self, order_no: str) -> dict[str, Any]:
        return dict(self.api.ok("GET", f"/orders/{order_no}/manual"))

    def fill(self, order_no: str, form: dict[str, Any]) -> dict[str, Any]:
        return dict(self.api.ok("PUT", f"/orders/{order_no}/manual/form", json=form))

    def pdf(self, order_no: str) -> bytes:
        answer = self.api.call("GET", f"/orders/{order_no}/manual/application-form.pdf")
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"] == "application/pdf"
        return bytes(answer.content)

    def upload(self, order_no: str, slot: str, filename: str, data: bytes,
               content_type: str = "image/jpeg") -> Any:
        return self.api.call("POST", f"/orders/{order_no}/documents/{slot}",
                             files={"file": (filename, data, content_type)})

    def upload_ok(self, order_no: str, slot: str, filename: str, data: bytes,
                  content_type: str = "image/jpeg") -> dict[str, Any]:
        answer = self.upload(order_no, slot, filename, data, content_type)
        assert answer.status_code == 201, answer.text
        return dict(answer.json())

    def pass_face(self, order_no: str) -> dict[str, Any]:
        """ORG-MR-8: start, the operator scans and passes in WeChat, the page polls."""
        started = self.api.ok("POST", f"/orders/{order_no}/manual/face")
        assert started["status"] == "pending" and started["qr_png_base64"], started
        self.api.control.face_complete(biz_token(started["url"]), "pass")
        face = self.api.ok("GET", f"/orders/{order_no}/manual/face")
        assert face["status"] == "passed", face
        return dict(face)

    def submit(self, order_no: str) -> dict[str, Any]:
        return dict(self.api.ok("POST", f"/orders/{order_no}/manual/submit"))


class Reviewer:
    """A CA reviewer logged in on the staff side."""

    def __init__(self, api: Api, username: str = STAFF_USER,
                 password: str = STAFF_PASSWORD) -> None:
        self.api = api
        login = api.ok("POST", "/staff/login", json={"username": username,
                                                      "password": password})
        assert login["role"] == "staff"
        api.token = login["token"]

    def queue(self) -> list[dict[str, Any]]:
        return list(self.api.ok("GET", "/staff/reviews")["orders"])

    def open(self, order_no: str) -> dict[str, Any]:
        return dict(self.api.ok("GET", f"/staff/reviews/{order_no}"))

    def approve(self, order_no: str, note: str | None = None) -> dict[str, Any]:
        return dict(self.api.ok("POST", f"/staff/reviews/{order_no}/approve",
                                json={"note": note}))

    def reject(self, order_no: str, codes: list[str], detail: str | None = None
               ) -> dict[str, Any]:
        return dict(self.api.ok("POST", f"/staff/reviews/{order_no}/reject",
                                json={"reason_codes": codes, "detail": detail}))


def image(fmt: str, size: tuple[int, int] = (640, 480)) -> bytes:
    """A small noisy image in ``fmt`` (JPEG, BMP, GIF) or a one-page PDF of it."""
    picture = Image.effect_noise(size, 60).convert("RGB")
    if fmt == "GIF":
        picture = picture.convert("P")
    out = io.BytesIO()
    picture.save(out, format=fmt)
    return out.getvalue()


def ready_to_submit(me: Applicant, order_no: str, slots: tuple[str, ...]) -> None:
    for slot in slots:
        me.upload_ok(order_no, slot, f"{slot}.jpg", jpeg(text=slot))
