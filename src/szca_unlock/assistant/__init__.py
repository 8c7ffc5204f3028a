"""``szca-assistant``: the certificate helper (数字证书管理工具) on the user's machine.

The 网厅's pages reach the U-KEY through it: it listens on ``http://127.0.0.1:PORT``,
answers only the configured portal origin, and runs 立即解锁 with the unlock agent
(PC/SC or PKCS#11 driver) under a one-time ticket the service issued for that order and
that page session. The new PIN goes from the page to the helper and the key only.
"""

from szca_unlock.assistant.app import AssistantConfig, create_assistant_app

__all__ = ["AssistantConfig", "create_assistant_app"]
