"""立即解锁 runs as a job the page watches: progress and errors in Chinese, one unlock at a
time (one key at a time, C-6)."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

import httpx

from szca_unlock.api.assistant import HelperSession
from szca_unlock.api.errors import ApiDataConflict, ApiError, error_from_response, unreachable
from szca_unlock.api.orders import OrderView
from szca_unlock.api.unlock import SoPinGranted, UnlockGranted
from szca_unlock.client.answers import read_answer
from szca_unlock.client.unlock import HttpUnlockServiceClient
from szca_unlock.domain.errors import CS_HELP, ValidationError
from szca_unlock.domain.pin_policy import check_new_pin
from szca_unlock.logsetup import get_logger
from szca_unlock.ukey import UKeyDriver, UKeyError, UnlockAgent, WrongKey
from szca_unlock.ukey.receipts import ReceiptStore
from szca_unlock.ukey.service import UnlockService

log = get_logger("assistant.jobs")
MAX_JOBS_KEPT = 20


@dataclass
class JobError:
    code: str
    message: str
    field: str = ""
    help: str = ""


@dataclass
class UnlockJob:
    id: str
    order_no: str
    state: str = "running"  # running | done | failed
    progress: list[str] = field(default_factory=list)
    error: JobError | None = None
    result: dict[str, Any] | None = None

    def say(self, text: str) -> None:
        self.progress.append(text)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


class ProgressClient:
    """The agent's service client, telling the job what the unlock is doing."""

    def __init__(self, inner: UnlockService, say: Callable[[str], None]) -> None:
        self._inner = inner
        self._say = say

    def authorise(self, order_id: str, key_serial: str, certificate_serial: str,
                  challenge_hex: str) -> UnlockGranted:
        self._say(f"已读取 U-KEY {key_serial}，正在向网上营业厅申请解锁授权…")
        granted = self._inner.authorise(order_id, key_serial, certificate_serial, challenge_hex)
        self._say("已获得解锁授权，正在重置 U-KEY 密码，请勿拔出 U-KEY…")
        return granted

    def confirm(self, order_id: str, authorisation_id: str, receipt_hex: str) -> OrderView:
        self._say("U-KEY 密码已重置，正在向网上营业厅确认解锁结果…")
        return self._inner.confirm(order_id, authorisation_id, receipt_hex)

    def reconcile(self, order_id: str, key_serial: str, challenge_hex: str,
                  receipt_hex: str) -> OrderView:
        self._say(f"正在向网上营业厅核对 U-KEY {key_serial} 上次的解锁记录…")
        return self._inner.reconcile(order_id, key_serial, challenge_hex, receipt_hex)

    def authorise_so_pin(self, order_id: str, key_serial: str,
                         certificate_serial: str) -> SoPinGranted:
        self._say(f"已读取 U-KEY {key_serial}，正在向网上营业厅申请解锁授权…")
        granted = self._inner.authorise_so_pin(order_id, key_serial, certificate_serial)
        self._say("已获得解锁授权，正在重置 U-KEY 密码，请勿拔出 U-KEY…")
        return granted

    def confirm_so_pin(self, order_id: str, authorisation_id: str,
                       token_serial: str) -> OrderView:
        self._say("U-KEY 密码已重置，正在向网上营业厅确认解锁结果…")
        return self._inner.confirm_so_pin(order_id, authorisation_id, token_serial)


class BusyError(Exception):
    """Another unlock is still running."""


class UnlockRunner:
    """Starts unlock jobs in a thread and keeps the last few for the page to read."""

    def __init__(self, service_url: str, driver_factory: Callable[[], UKeyDriver], *,
                 timeout_s: float = 15.0) -> None:
        self.service_url = service_url.rstrip("/")
        self.driver_factory = driver_factory
        self.timeout_s = timeout_s
        self._jobs: dict[str, UnlockJob] = {}
        self._lock = threading.Lock()

    def get(self, job_id: str) -> UnlockJob | None:
        return self._jobs.get(job_id)

    def start(self, order_no: str, ticket: str, new_pin: str, confirm_pin: str) -> UnlockJob:
        with self._lock:
            if any(j.state == "running" for j in self._jobs.values()):
                raise BusyError("正在为另一个业务单解锁，请等待完成后再操作")
            job = UnlockJob(secrets.token_urlsafe(12), order_no)
            self._jobs[job.id] = job
            for old in list(self._jobs)[:-MAX_JOBS_KEPT]:
                del self._jobs[old]
        threading.Thread(target=self._run, args=(job, ticket, new_pin, confirm_pin),
                         name=f"unlock:{order_no}", daemon=True).start()
        return job

    def _redeem(self, ticket: str, order_no: str) -> HelperSession:
        try:
            response = httpx.post(f"{self.service_url}/api/assistant/tickets/redeem",
                                  json={"ticket": ticket, "order_no": order_no},
                                  timeout=self.timeout_s)
        except httpx.HTTPError as exc:
            raise unreachable(self.service_url) from exc
        if not response.is_success:
            raise error_from_response(response)
        return read_answer(HelperSession, response)

    def _run(self, job: UnlockJob, ticket: str, new_pin: str, confirm_pin: str) -> None:
        try:
            job.say("正在检查新密码…")
            check_new_pin(new_pin, confirm_pin)
            job.say("正在向网上营业厅核验解锁凭证…")
            session = self._redeem(ticket, job.order_no)
            job.say("正在读取 U-KEY…")
            client = HttpUnlockServiceClient(self.service_url, session.access_token,
                                             timeout_s=self.timeout_s)
            try:
                # The record of the unlock in flight: a crash before the confirm is
                # finished by the next 立即解锁 instead of a second reset.
                result = UnlockAgent(ProgressClient(client, job.say), self.driver_factory(),
                                     ReceiptStore()).unlock(job.order_no, new_pin=new_pin,
                                              confirm_pin=confirm_pin,
                                              expected_key_serial=session.key_serial)
            finally:
                client.close()
            tries = result.pin_status.tries_left
            job.result = {"key_serial": result.key_serial, "order_state": result.order_state}
            job.say(f"U-KEY {result.key_serial} 解锁成功，新密码已生效"
                    + (f"（可重试{tries}次）" if tries is not None else ""))
            job.state = "done"
        except ValidationError as exc:
            self._fail(job, JobError(exc.code, exc.message, exc.field or ""))
        except (ApiDataConflict, WrongKey) as exc:
            message = getattr(exc, "message", str(exc))
            self._fail(job, JobError("data_conflict", message, "", CS_HELP))
        except ApiError as exc:
            self._fail(job, JobError(exc.code or "service_error", exc.message,
                                     "", exc.help or ""))
        except UKeyError as exc:
            self._fail(job, JobError(f"ukey.{type(exc).__name__}", exc.message))
        except Exception as exc:  # a bug of the helper: logged, the user gets help
            log.error("unlock job for %s failed: %s", job.order_no, type(exc).__name__,
                      exc_info=exc)
            self._fail(job, JobError("assistant.internal", "数字证书管理工具出错，请重试",
                                     "", CS_HELP))

    @staticmethod
    def _fail(job: UnlockJob, error: JobError) -> None:
        job.error = error
        job.say(f"解锁未完成：{error.message}")
        job.state = "failed"
