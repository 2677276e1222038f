"""Rule 11 in one step: an email pasted into a draft becomes a document, and the note cites it.

The council's guidance (seed 003): "Emails SHOULD NEVER BE CUT AND PASTED on to case notes …
Sent or received correspondence should be saved and uploaded to the Document Store", with
the note "tailoring the main themes of the email". When the assistant finds a pasted email
in a draft, its author can move the pasted text to the evidence vault as it stands (a text
document on the case, hashed and audited like any upload), take it out of the note, and then
write the summary in their own words.
"""

from __future__ import annotations

import io
import re
from dataclasses import replace

from django.db import transaction
from django.utils import timezone

from caseledger.accounts.models import User
from caseledger.domain.errors import DomainError
from caseledger.ledger import services as ledger_services
from caseledger.ledger.models import Entry
from caseledger.quality.services import review_note
from caseledger.vault import services as vault_services
from caseledger.vault.models import Document

_SUBJECT = re.compile(r"^\s*Subject\s*:\s*(?P<subject>.+?)\s*$", re.IGNORECASE | re.MULTILINE)
TITLE_LENGTH = 200
CATEGORY = "Correspondence"
# Characters between two pasted-email findings that are still one email's body.
EMAIL_BODY_GAP = 3000


def _title(pasted: str) -> str:
    found = _SUBJECT.search(pasted)
    title = f"Email: {found.group('subject')}" if found else "Email pasted into a case note"
    return title[:TITLE_LENGTH]


@transaction.atomic
def store_pasted_email(*, actor: User, draft: Entry) -> Document:
    """Store every passage of the draft the assistant reads as a pasted email as one text
    document on the draft's case, cite it from the draft and take the passages out of it.

    The passages are found again here from the draft as saved, never taken from the request.
    One transaction: the document is not kept unless the draft is changed to cite it.
    """
    # Locked first: a second click waits here, then finds no email left to store.
    draft = ledger_services.lock_draft(actor=actor, draft=draft)
    review = review_note(draft.case, draft.body, author=actor)
    found = sorted(
        (finding.start, finding.end)
        for finding in review.findings
        if finding.code == "pasted_email"
    )
    if not found:
        raise DomainError("There is no pasted email in this note to store", field="body")
    # The assistant reports an email's header block and its signature or footer separately;
    # what lies between them is the email's body, and goes with them.
    spans = [found[0]]
    for start, end in found[1:]:
        if start - spans[-1][1] <= EMAIL_BODY_GAP:
            spans[-1] = (spans[-1][0], max(spans[-1][1], end))
        else:
            spans.append((start, end))
    pasted = "\n\n".join(draft.body[start:end].strip() for start, end in spans)
    categories = vault_services.categories_of(draft.case.organisation)
    if not categories:
        raise DomainError("Your organisation has no document categories: ask an admin to add one")
    category = next((each for each in categories if each.name == CATEGORY), categories[0])
    data = pasted.encode("utf-8")
    document = vault_services.store_document(
        actor=actor,
        source=io.BytesIO(data),
        file_name="pasted-email.txt",
        size=len(data),
        details=vault_services.DocumentDetails(
            title=_title(pasted),
            category=category,
            cases=[draft.case],
            document_date=timezone.localdate(draft.occurred_at or timezone.now()),
            source="Pasted into a draft case note, moved here by its author",
        ),
    )
    kept: list[str] = []
    position = 0
    for start, end in spans:
        kept.append(draft.body[position:start])
        position = max(position, end)
    kept.append(draft.body[position:])
    body = re.sub(r"\n{3,}", "\n\n", "".join(kept)).strip()
    content = ledger_services.content_of(draft)
    content = replace(content, body=body, document_ids=[*content.document_ids, document.id])
    ledger_services.save_draft(actor=actor, draft=draft, content=content)
    return document
