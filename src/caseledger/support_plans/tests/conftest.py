from __future__ import annotations

from caseledger.sen.tests.school_fixtures import head, other_school_senco, school_admin

__all__ = ["head", "other_school_senco", "school_admin"]
