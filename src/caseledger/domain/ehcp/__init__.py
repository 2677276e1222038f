"""The EHC plan analyser: sections A to K, provision items and the flags an adviser would
raise on a plan (vague or unquantified provision, needs without provision, report
recommendations left out, missing statutory content).

Pure Python, no Django: `split_sections(text)`, `flag_provision(statement)`,
`analyse_plan(sections, status=…, reports=…)`, `analyse_file(path)` and
`compare_sections(old, new)`. The CLI and the ehcp app call these.
"""

from caseledger.domain.ehcp.compare import compare_sections
from caseledger.domain.ehcp.plan import CODES, PlanFlag, analyse_file, analyse_plan
from caseledger.domain.ehcp.provision import Item, ProvisionFlag, flag_provision, split_items
from caseledger.domain.ehcp.sections import SECTIONS, split_sections

__all__ = [
    "CODES",
    "SECTIONS",
    "Item",
    "PlanFlag",
    "ProvisionFlag",
    "analyse_file",
    "analyse_plan",
    "compare_sections",
    "flag_provision",
    "split_items",
    "split_sections",
]
