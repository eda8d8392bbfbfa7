"""The demo's stand-in SMS gateway: `cocoon` runs it as `[sms] command` for each group message;
it keeps the message as a file instead of sending it, so the demo shows what would go out.

    demo_sms.py FOLDER NUMBER TEXT
"""

from __future__ import annotations

import sys
from pathlib import Path


def main() -> int:
    folder, number, text = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    folder.mkdir(parents=True, exist_ok=True)
    n = len(list(folder.glob("*.txt"))) + 1
    path = folder / f"{n:03d}-{number.lstrip('+')}.txt"
    path.write_text(f"To: {number}\n\n{text}\n", encoding="utf-8")
    print(f"stand-in SMS gateway: message to {number} kept in {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
