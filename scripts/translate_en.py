"""Fill English translations into the catalog from a JSON file of {msgid: msgstr}.

Usage: .venv/bin/python scripts/translate_en.py new-strings.json
(after `pybabel extract` and `pybabel update`, see docs/translations.md). Prints what is
still untranslated."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

PO_FILE = Path(__file__).resolve().parents[1] / "frontend/locales/en/LC_MESSAGES/messages.po"


def main(source: Path | None) -> int:
    with PO_FILE.open("rb") as handle:
        catalog = read_po(handle, locale="en")
    given: dict[str, str] = json.loads(source.read_text(encoding="utf-8")) if source else {}
    for message in catalog:
        if message.id in given:
            message.string = given[str(message.id)]
            message.flags.discard("fuzzy")
    catalog.obsolete.clear()
    with PO_FILE.open("wb") as handle:
        write_po(handle, catalog, width=96, include_previous=False)
    missing = [str(m.id) for m in catalog if m.id and (not m.string or m.fuzzy)]
    for msgid in missing:
        print(json.dumps(msgid, ensure_ascii=False))
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else None))
