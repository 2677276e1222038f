"""The `caseledger` admin command: Django's management commands under our own name.

`caseledger demo`, `caseledger bench`, `caseledger migrate`, `caseledger db_worker` …
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caseledger.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["caseledger", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
