"""The manual-review and staff routes of the typed client (docs/api.md, "Manual review and
staff"), mixed into ``ServiceClient``: same base URL, same token,
same ``szca_unlock.api.ApiError``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

import httpx
from pydantic import BaseModel, TypeAdapter

from szca_unlock.api.manual import (
    CityList,
    DocumentView,
    ManualFaceView,
    ManualView,
    ReasonView,
    RegionList,
)
from szca_unlock.api.staff import (
    Decision,
    ReviewDetail,
    ReviewQueue,
    StaffLoginResponse,
)
from szca_unlock.client.answers import read_answer
from szca_unlock.client.paging import page_path

M = TypeVar("M", bound=BaseModel)
_DOCUMENTS = TypeAdapter(list[DocumentView])
_REASONS = TypeAdapter(list[ReasonView])


class ManualReviewMixin:
    """ORG-MR / PER-MR for the applicant, the review queue for CA staff."""

    if TYPE_CHECKING:  # provided by ServiceClient
        base_url: str
        token: str | None
        _http: httpx.Client

        def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response: ...
        def _call(self, method: str, path: str, json: Any = None) -> Any: ...
        def _get(self, model: type[M], path: str) -> M: ...
        def _post(self, model: type[M], path: str, json: Any = None) -> M: ...

    # -- 省市 ---------------------------------------------------------------------------
    def provinces(self) -> RegionList:
        return self._get(RegionList, "/regions")

    def cities(self, province: str) -> CityList:
        return self._get(CityList, f"/regions/{province}")

    # -- the applicant's manual-review page (ORG-MR-5..10, PER-MR-5..7) ----------------
    def manual_page(self, order_no: str) -> ManualView:
        return self._get(ManualView, f"/orders/{order_no}/manual")

    def save_manual_form(self, order_no: str, **fields: str | int | None) -> ManualView:
        return read_answer(ManualView, self._send("PUT", f"/orders/{order_no}/manual/form",
                                                  json=fields))

    def application_form_pdf(self, order_no: str) -> bytes:
        return self._send("GET", f"/orders/{order_no}/manual/application-form.pdf").content

    def upload_document(self, order_no: str, slot: str, filename: str, data: bytes,
                        content_type: str = "application/octet-stream") -> DocumentView:
        answer = self._send("POST", f"/orders/{order_no}/documents/{slot}",
                            files={"file": (filename, data, content_type)})
        return read_answer(DocumentView, answer)

    def list_documents(self, order_no: str, *, history: bool = False) -> list[DocumentView]:
        suffix = "?all=true" if history else ""
        return _DOCUMENTS.validate_python(self._call("GET", f"/orders/{order_no}/documents"
                                                            f"{suffix}"))

    def download_document(self, order_no: str, document_id: int) -> bytes:
        return self._send("GET", f"/orders/{order_no}/documents/{document_id}").content

    def document_preview(self, order_no: str, document_id: int) -> bytes:
        return self._send("GET", f"/orders/{order_no}/documents/{document_id}/preview").content

    def delete_document(self, order_no: str, document_id: int) -> None:
        self._send("DELETE", f"/orders/{order_no}/documents/{document_id}")

    def start_operator_face(self, order_no: str) -> ManualFaceView:
        return self._post(ManualFaceView, f"/orders/{order_no}/manual/face")

    def operator_face(self, order_no: str) -> ManualFaceView:
        return self._get(ManualFaceView, f"/orders/{order_no}/manual/face")

    def submit_manual(self, order_no: str) -> ManualView:
        """提交, or 重新提交 after a rejection."""
        return self._post(ManualView, f"/orders/{order_no}/manual/submit")

    # -- staff (ORG-MR-9 / PER-MR-7) ----------------------------------------------------
    def staff_login(self, username: str, password: str) -> StaffLoginResponse:
        answer = self._post(StaffLoginResponse, "/staff/login",
                            {"username": username, "password": password})
        self.token = answer.token
        return answer

    def review_queue(self, *, limit: int | None = None,
                     cursor: str | None = None) -> ReviewQueue:
        """One page of the queue, nearest deadline first (``next_cursor`` for the next)."""
        return self._get(ReviewQueue, page_path("/staff/reviews", limit, cursor))

    def rejection_reasons(self, kind: str) -> list[ReasonView]:
        return _REASONS.validate_python(self._call("GET", f"/staff/reasons?kind={kind}"))

    def review(self, order_no: str) -> ReviewDetail:
        return self._get(ReviewDetail, f"/staff/reviews/{order_no}")

    def review_document(self, order_no: str, document_id: int) -> bytes:
        return self._send("GET", f"/staff/reviews/{order_no}/documents/{document_id}").content

    def approve(self, order_no: str, note: str | None = None) -> Decision:
        return self._post(Decision, f"/staff/reviews/{order_no}/approve", {"note": note})

    def reject(self, order_no: str, reason_codes: list[str],
               detail: str | None = None) -> Decision:
        return self._post(Decision, f"/staff/reviews/{order_no}/reject",
                          {"reason_codes": reason_codes, "detail": detail})
