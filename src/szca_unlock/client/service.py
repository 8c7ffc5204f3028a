"""``ServiceClient``: one method per endpoint, answers parsed into the service's models
(an answer that is not the documented model is ``ApiUnavailable``)."""

from __future__ import annotations

from typing import Any, TypeVar

import httpx
from pydantic import BaseModel

from szca_unlock.api.auth import LoginResponse, Me, SmsCodeSent
from szca_unlock.api.errors import ApiUnauthorized, error_from_response, unreachable
from szca_unlock.api.guide import AcceptResponse, Guide
from szca_unlock.api.orders import (
    CertificateView,
    OrderList,
    OrderSummary,
    OrderView,
    ResultScreen,
)
from szca_unlock.api.verifications import (
    AuthorizationLetterView,
    OrganisationInfo,
    VerificationOutcome,
)
from szca_unlock.client.answers import read_answer
from szca_unlock.client.manual import ManualReviewMixin
from szca_unlock.client.paging import page_path
from szca_unlock.client.unlock import HttpUnlockServiceClient
from szca_unlock.keepalive import client_limits

M = TypeVar("M", bound=BaseModel)


class ServiceClient(ManualReviewMixin):
    """``ServiceClient("http://127.0.0.1:8400")``; ``login`` keeps the bearer token."""

    def __init__(self, base_url: str, token: str | None = None, *, timeout_s: float = 15.0,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self._http = httpx.Client(base_url=self.base_url, timeout=timeout_s,
                                  transport=transport, limits=client_limits())

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> ServiceClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- plumbing ----------------------------------------------------------------------
    def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """One exchange; a refusal raises the API's typed error (``szca_unlock.api``)."""
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        try:
            response = self._http.request(method, f"/api{path}", headers=headers, **kwargs)
        except httpx.HTTPError as exc:
            raise unreachable(self.base_url) from exc
        if response.status_code >= 400:
            raise error_from_response(response)
        return response

    def _call(self, method: str, path: str, json: Any = None) -> Any:
        response = self._send(method, path, json=json)
        return response.json() if response.content else None

    def _get(self, model: type[M], path: str) -> M:
        return read_answer(model, self._send("GET", path))

    def _post(self, model: type[M], path: str, json: Any = None) -> M:
        return read_answer(model, self._send("POST", path, json=json))

    # -- auth --------------------------------------------------------------------------
    def health(self) -> dict[str, str]:
        return dict(self._call("GET", "/health"))

    def request_sms_code(self, mobile: str) -> SmsCodeSent:
        return self._post(SmsCodeSent, "/auth/sms-code", {"mobile": mobile})

    def login(self, mobile: str, code: str) -> LoginResponse:
        answer = self._post(LoginResponse, "/auth/login", {"mobile": mobile, "code": code})
        self.token = answer.token
        return answer

    def logout(self) -> None:
        self._call("POST", "/auth/logout")
        self.token = None

    def me(self) -> Me:
        return self._get(Me, "/auth/me")

    # -- guide, agreements, lookup -----------------------------------------------------
    def guide(self) -> Guide:
        return self._get(Guide, "/unlock/guide")

    def accept_agreements(self, ticks: list[tuple[str, str]] | None = None) -> AcceptResponse:
        """Tick the given (id, version) pairs; by default every agreement the guide shows."""
        if ticks is None:
            ticks = [(a.id, a.version) for a in self.guide().agreements]
        return self._post(AcceptResponse, "/agreements/accept",
                          {"agreements": [{"id": i, "version": v} for i, v in ticks]})

    def lookup_certificate(self, serial: str) -> CertificateView:
        return self._get(CertificateView, f"/certificates/{serial}")

    # -- orders ------------------------------------------------------------------------
    def create_order(self, certificate_serial: str, mode: str) -> OrderView:
        return self._post(OrderView, "/orders",
                          {"certificate_serial": certificate_serial, "mode": mode})

    def list_orders(self, *, limit: int | None = None, cursor: str | None = None) -> OrderList:
        """One page of 我的业务单 (the first without ``cursor``); see ``all_orders``."""
        return self._get(OrderList, page_path("/orders", limit, cursor))

    def all_orders(self) -> list[OrderSummary]:
        """Every page of 我的业务单, newest first."""
        orders: list[OrderSummary] = []
        cursor: str | None = None
        while True:
            page = self.list_orders(limit=100, cursor=cursor)
            orders += page.orders
            if page.next_cursor is None:
                return orders
            cursor = page.next_cursor

    def get_order(self, order_no: str) -> OrderView:
        return self._get(OrderView, f"/orders/{order_no}")

    def cancel_order(self, order_no: str) -> OrderView:
        return self._post(OrderView, f"/orders/{order_no}/cancel")

    def result_screen(self, order_no: str) -> ResultScreen:
        return self._get(ResultScreen, f"/orders/{order_no}/result")

    # -- ORG-RT-5 / 7 ------------------------------------------------------------------
    def organisation(self, order_no: str) -> OrganisationInfo:
        return self._get(OrganisationInfo, f"/orders/{order_no}/organisation")

    def confirm_organisation(self, order_no: str, legal_rep_name: str,
                             legal_rep_id_number: str) -> OrderView:
        return self._post(OrderView, f"/orders/{order_no}/organisation", {
            "legal_rep_name": legal_rep_name, "legal_rep_id_number": legal_rep_id_number})

    def authorization_letter(self, order_no: str) -> AuthorizationLetterView:
        return self._get(AuthorizationLetterView, f"/orders/{order_no}/authorization-letter")

    def confirm_authorization_letter(self, order_no: str, version: str) -> OrderView:
        return self._post(OrderView, f"/orders/{order_no}/authorization-letter/confirm",
                          {"version": version})

    # -- verifications (ORG-RT-6, ORG-RT-8, PER-RT-5) -----------------------------------
    def start_verification(self, order_no: str, step: str, method: str, name: str,
                           id_number: str, **extra: str | None) -> VerificationOutcome:
        body = {"method": method, "name": name, "id_number": id_number,
                **{k: v for k, v in extra.items() if v}}
        return self._post(VerificationOutcome, f"/orders/{order_no}/verifications/{step}", body)

    def verification(self, order_no: str, step: str) -> VerificationOutcome:
        return self._get(VerificationOutcome, f"/orders/{order_no}/verifications/{step}")

    def submit_code(self, order_no: str, step: str, code: str) -> VerificationOutcome:
        return self._post(VerificationOutcome,
                          f"/orders/{order_no}/verifications/{step}/code", {"code": code})

    def resend_code(self, order_no: str, step: str) -> VerificationOutcome:
        return self._post(VerificationOutcome,
                          f"/orders/{order_no}/verifications/{step}/resend")

    # -- unlock ------------------------------------------------------------------------
    def unlock_client(self) -> HttpUnlockServiceClient:
        """The agent's client for ``/unlock/authorise`` and ``/unlock/confirm`` (same login)."""
        if not self.token:
            raise ApiUnauthorized(401, "unauthenticated", "请先登录网上营业厅")
        return HttpUnlockServiceClient(self.base_url, self.token)
