"""Public holidays beyond the installed calendar package: an operator's data file, and an
estimate from the statutory holidays for years nobody has published yet.

**The data file** (``SZCA_HOLIDAYS_FILE``, default ``$SZCA_HOME/holidays.json``) is copied
by an operator from the State Council's notice (国务院办公厅关于某年部分节假日安排的通知),
no code change needed; it wins over the package for the years it lists::

    {"2027": {"holidays": ["2027-01-01", "2027-02-05", ...],   # 放假 days on weekdays too
              "workdays": ["2027-02-07", ...]}}                 # 调休 working weekend days

A day of a listed year is a working day if it is in ``workdays``, or a Monday to Friday
not in ``holidays``. The file is re-read when it changes.

**The estimate** (still marked 估算 by the caller): Monday to Friday except the statutory
holidays of 《全国年节及纪念日放假办法》 (2025): 元旦 1 day, 春节 4 days (除夕 to 初三),
清明 1 day, 劳动节 2 days, 端午 1 day, 中秋 1 day, 国庆 3 days. Lunar dates come from
``lunardate``; 清明 from the usual solar-term formula. 调休 cannot be guessed.
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from lunardate import LunarDate

from szca_unlock.config import ConfigError, home_dir


@dataclass(frozen=True)
class YearSchedule:
    holidays: frozenset[date]
    workdays: frozenset[date]

    def is_working_day(self, day: date) -> bool:
        if day in self.workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays


def schedule_file() -> Path:
    return Path(os.environ.get("SZCA_HOLIDAYS_FILE") or home_dir() / "holidays.json")


def parse_schedule(raw: object, source: str) -> dict[int, YearSchedule]:
    """The file's content, checked: every error names the entry and how to fix it."""
    if not isinstance(raw, dict):
        raise ConfigError(f"{source}: expected an object of years, e.g. {{\"2027\": {{...}}}}")
    years: dict[int, YearSchedule] = {}
    for key, entry in raw.items():
        if not (isinstance(key, str) and key.isdigit() and len(key) == 4):
            raise ConfigError(f"{source}: {key!r} is not a year (4 digits)")
        if not isinstance(entry, dict) or set(entry) - {"holidays", "workdays"}:
            raise ConfigError(f"{source}: {key} must hold only \"holidays\" and \"workdays\"")
        days: dict[str, frozenset[date]] = {}
        for name in ("holidays", "workdays"):
            values = entry.get(name, [])
            try:
                parsed = frozenset(date.fromisoformat(v) for v in values)
            except (TypeError, ValueError) as exc:
                raise ConfigError(f"{source}: {key}.{name} must list dates as YYYY-MM-DD") from exc
            if any(d.year != int(key) for d in parsed):
                raise ConfigError(f"{source}: {key}.{name} lists a date of another year")
            days[name] = parsed
        years[int(key)] = YearSchedule(days["holidays"], days["workdays"])
    return years


_lock = threading.Lock()
_cache: dict[tuple[str, float], dict[int, YearSchedule]] = {}


def operator_schedule() -> dict[int, YearSchedule]:
    """The operator's file (empty when there is none), re-read when it changes."""
    path = schedule_file()
    try:
        stamp = path.stat().st_mtime
    except FileNotFoundError:
        return {}
    key = (str(path), stamp)
    with _lock:
        if key not in _cache:
            try:
                raw = json.loads(path.read_text("utf-8"))
            except ValueError as exc:
                raise ConfigError(f"{path}: not valid JSON ({exc})") from exc
            _cache.clear()
            _cache[key] = parse_schedule(raw, str(path))
        return _cache[key]


def _qingming(year: int) -> date:
    # 寿星公式 for the 21st century: day = ⌊Y·0.2422 + 4.81⌋ − ⌊Y/4⌋, Y = year mod 100.
    y = year % 100
    return date(year, 4, int(y * 0.2422 + 4.81) - y // 4)


@lru_cache(maxsize=64)
def statutory_holidays(year: int) -> frozenset[date]:
    """The statutory days off of ``year`` (no 调休, no extension to a full week)."""
    new_year = LunarDate(year, 1, 1).to_solar_date()
    days = {date(year, 1, 1), _qingming(year), date(year, 5, 1), date(year, 5, 2),
            LunarDate(year, 5, 5).to_solar_date(), LunarDate(year, 8, 15).to_solar_date(),
            date(year, 10, 1), date(year, 10, 2), date(year, 10, 3)}
    days |= {new_year + timedelta(days=offset) for offset in range(-1, 3)}  # 除夕 … 初三
    return frozenset(days)


def estimated_working_day(day: date) -> bool:
    """Monday to Friday and not a statutory holiday (an estimate: 估算)."""
    return day.weekday() < 5 and day not in statutory_holidays(day.year)
