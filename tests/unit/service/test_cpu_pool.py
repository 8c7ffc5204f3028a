"""The CPU pool: the application form and upload inspection run in worker processes,
refusals come back as the user's Chinese message, and the workers end with the app."""

from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

from fastapi.testclient import TestClient
from pypdf import PdfReader

from szca_unlock.config import Settings
from szca_unlock.documents.application_form import ApplicationFormData, CertificateInfo, PersonInfo
from szca_unlock.domain.certificates import CertificateKind
from szca_unlock.service import cpu_tasks
from szca_unlock.service.app import create_app
from szca_unlock.service.cpu_pool import CpuPool

FORM = ApplicationFormData(
    order_number="JS202611260001",
    certificate=CertificateInfo(serial="0A1B2C3D", subject="CN=黄伟", kind=CertificateKind.NATURAL),
    applicant=PersonInfo("黄伟", "440301199001011234", "13800138000"), organisation=None,
    generated_at=datetime(2026, 11, 26, 10, 0, tzinfo=UTC))


def test_the_form_is_rendered_in_a_worker_process() -> None:
    pool = CpuPool(workers=1)
    try:
        pdf = pool.run(cpu_tasks.render_form, FORM)
    finally:
        pool.shutdown()
    assert pdf.startswith(b"%PDF")
    # The CJK font's text comes out with NULs between the characters.
    text = PdfReader(BytesIO(pdf)).pages[0].extract_text().replace("\x00", "")
    assert "JS202611260001" in text
    assert not pool.running


def test_a_refused_upload_comes_back_with_its_message() -> None:
    pool = CpuPool(workers=1)
    try:
        refused = pool.run(cpu_tasks.inspect, "扫描件.jpg", b"\xff\xd8\xff\xe0broken", "file")
    finally:
        pool.shutdown()
    assert isinstance(refused, cpu_tasks.Refused)
    error = refused.error()
    assert error.code == "upload.image_corrupt"
    assert error.message.startswith("图片文件已损坏或不完整")
    assert error.field == "file"


def test_the_workers_end_with_the_app(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, database_url=f"sqlite:///{tmp_path / 'svc.db'}",
                        unlock_master_key_hex="11" * 32)
    app = create_app(settings)
    ctx = app.state.ctx
    with TestClient(app):
        assert ctx.cpu.run(cpu_tasks.render_form, FORM).startswith(b"%PDF")
        assert ctx.cpu.running
    assert not ctx.cpu.running
