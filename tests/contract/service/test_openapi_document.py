"""The service's OpenAPI document is its wire contract: a refactoring must not change it.

``openapi.json`` beside this file is the document as published; the test compares the
app's document with it after applying ``RENAMED`` (schema names are the one thing a
refactoring may change: they name Python classes, not anything on the wire).

A deliberate API change regenerates the fixture and shows up in review:
``SZCA_UPDATE_OPENAPI=1 .venv/bin/python -m pytest tests/contract/service``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from szca_unlock.config import Settings
from szca_unlock.service.app import create_app

FIXTURE = Path(__file__).with_name("openapi.json")
SCHEMA_REF = "#/components/schemas/"

# Schemas renamed since the fixture was recorded: recorded name → name in the code.
RENAMED: dict[str, str] = {
    # Two models shared the name FaceView and were told apart by module path.
    "szca_unlock__service__schemas__manual__FaceView": "ManualFaceView",
    "szca_unlock__service__schemas__verifications__FaceView": "FaceView",
}


def _document(tmp_path: Path) -> dict[str, Any]:
    settings = Settings(home=tmp_path, database_url=f"sqlite:///{tmp_path / 'svc.db'}",
                        unlock_master_key_hex="11" * 32)
    app = create_app(settings)
    try:
        return app.openapi()
    finally:
        app.state.ctx.cpu.shutdown()


def _rename(node: Any, renames: dict[str, str]) -> Any:
    """``node`` with every schema name in ``renames`` replaced (keys, $refs, titles)."""
    if isinstance(node, list):
        return [_rename(item, renames) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "$ref" and isinstance(value, str) and value.startswith(SCHEMA_REF):
            name = value.removeprefix(SCHEMA_REF)
            value = SCHEMA_REF + renames.get(name, name)
        elif key == "title" and isinstance(value, str):
            value = renames.get(value, value)
        out[key] = _rename(value, renames)
    schemas = out.get("components", {}).get("schemas")
    if isinstance(schemas, dict):
        out["components"]["schemas"] = {renames.get(k, k): _retitled(v, k, renames)
                                         for k, v in schemas.items()}
    return out


def _retitled(schema: Any, name: str, renames: dict[str, str]) -> Any:
    """A schema FastAPI named ``module__path__Class`` is titled ``Class``; renamed, it is
    titled by its new name."""
    if name not in renames or not isinstance(schema, dict):
        return schema
    if schema.get("title") == name.rsplit("__", 1)[-1]:
        return {**schema, "title": renames[name]}
    return schema


def test_the_openapi_document_is_unchanged_apart_from_schema_names(tmp_path: Path) -> None:
    current = _document(tmp_path)
    if os.environ.get("SZCA_UPDATE_OPENAPI") == "1":
        FIXTURE.write_text(json.dumps(current, ensure_ascii=False, indent=1, sort_keys=True)
                           + "\n", encoding="utf-8")
    recorded = _rename(json.loads(FIXTURE.read_text(encoding="utf-8")), RENAMED)
    assert current["paths"].keys() == recorded["paths"].keys()
    for path, operations in recorded["paths"].items():
        assert current["paths"][path] == operations, path
    assert current["components"]["schemas"].keys() == recorded["components"]["schemas"].keys()
    assert current == recorded


def test_renaming_reaches_refs_titles_and_component_keys() -> None:
    document = {"paths": {"/x": {"$ref": SCHEMA_REF + "Old"},
                          "/y": {"$ref": SCHEMA_REF + "mod__Same"}},
                "components": {"schemas": {"Old": {"title": "Old", "type": "object"},
                                           "mod__Same": {"title": "Same"}}}}
    assert _rename(document, {"Old": "New", "mod__Same": "Other"}) == {
        "paths": {"/x": {"$ref": SCHEMA_REF + "New"}, "/y": {"$ref": SCHEMA_REF + "Other"}},
        "components": {"schemas": {"New": {"title": "New", "type": "object"},
                                   "Other": {"title": "Other"}}}}
