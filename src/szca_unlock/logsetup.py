"""One configured logger for the whole product, masking personal data everywhere.

Resident ID numbers, mobile numbers and bank card numbers are replaced by a mask that
keeps only the last 4 characters, in the message and in every argument, whoever logs.
"""

from __future__ import annotations

import logging
import re

# Order matters: the longest patterns first so an ID number is not masked as a card.
_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])"),  # resident ID (18)
    re.compile(r"(?<!\d)\d{15,19}(?!\d)"),  # bank card (Luhn numbers 15-19 digits)
    re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)"),  # mainland mobile
)


def mask_value(text: str) -> str:
    """Mask every ID number, bank card and mobile in ``text``, keeping the last 4."""
    for pattern in _PATTERNS:
        text = pattern.sub(lambda m: "*" * (len(m.group()) - 4) + m.group()[-4:], text)
    return text


class MaskingFilter(logging.Filter):
    """Formats the record once, masks it, and freezes the result into ``msg``."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = str(record.msg)
        record.msg = mask_value(message)
        record.args = None
        return True


LOGGER_NAME = "szca"


def get_logger(name: str) -> logging.Logger:
    """A child of the ``szca`` logger; ``configure_logging`` sets up its handler."""
    return logging.getLogger(f"{LOGGER_NAME}.{name}")


def configure_logging(level: int | str = logging.INFO) -> None:
    """Install one masking handler on the root logger (idempotent)."""
    root = logging.getLogger()
    for handler in root.handlers:
        if any(isinstance(f, MaskingFilter) for f in handler.filters):
            return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(MaskingFilter())
    root.addHandler(handler)
    root.setLevel(level)
