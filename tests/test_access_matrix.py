"""The access-control matrix: every route, for every persona, against every kind of case.

This file is the policy, written down. `ACCESS` says how much each persona may do with each
target case; `ROUTES` says what every URL of the service needs. The tests read both tables
and check the running service against them, cell by cell:

* a permitted GET shows the page (and names the child or case it is about);
* everyone else gets a 404 that names nothing: not the child, not the case reference;
* a write route also takes an empty POST: a form error (400) for people who may write, a 404
  for everyone else, and nothing is ever changed (no audit event is written);
* a one-click button (turn a promise into a next action) acts on an empty POST: people who
  may write are sent on to the page it changed and something is written; everyone else gets
  a 404 and nothing changes;
* anonymous visitors are sent to sign in, from every route except sign-in itself.

A new URL pattern without a row in `ROUTES` fails the build, and so does a row for a route
that no longer exists. The rules (PRODUCT.md): a user sees a case only if allocated to it
(worker or manager), manages the team it is allocated to, is an admin of the owning
organisation, is a member of the family organisation that owns it, or holds a live access
grant (read-only: on one case, or from a family for one of its children or all of them).
Organisations never see each other's records.
"""

from __future__ import annotations

import io
import logging
import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from enum import Enum, IntEnum
from typing import Any
from uuid import UUID

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Model
from django.http import Http404
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from caseledger.accounts.models import Organisation, TeamMembership, User
from caseledger.actions import services as actions_services
from caseledger.actions.calendar import make_feed
from caseledger.actions.models import NextAction, Party
from caseledger.audit.models import AuditEvent
from caseledger.case_audits import services as case_audit_services
from caseledger.case_audits.models import AuditAction, AuditQuestion, CaseAudit
from caseledger.case_audits.tests import factories as audit_factories
from caseledger.cases import services as cases_services
from caseledger.cases.access import access_case, cases_visible_to, cases_workable_by
from caseledger.cases.models import AccessGrant, Case, CaseType, FamilyGrant
from caseledger.domain.statutory_clock import EXCEPTIONS
from caseledger.ehcp import services as ehcp_services
from caseledger.ehcp.annotations import AnnotationContent, add_annotation, plan_provision
from caseledger.ehcp.models import Annotation, PlanKind, PlanVersion
from caseledger.ledger import services as ledger_services
from caseledger.ledger.interactions import (
    EventContent,
    InteractionContent,
    record_interaction,
    record_timeline_event,
)
from caseledger.ledger.models import (
    Channel,
    ContactType,
    Entry,
    EntryStatus,
    EventType,
    Tag,
    WrongChildReport,
)
from caseledger.passports.tests import factories as passport_factories
from caseledger.people.access import access_child
from caseledger.people.models import Child, Professional, RelatedAdult
from caseledger.provision.models import Place
from caseledger.sen.access import pupils_seen_by_staff, pupils_shared_with_parent
from caseledger.sen.models import ParentAccess, RegisterEntry, SchoolClass
from caseledger.support_plans.models import PlanCycle
from caseledger.vault import services as vault_services
from caseledger.vault.models import Document, DocumentCategory
from caseledger.vault.tests import samples

pytestmark = pytest.mark.django_db

SIGN_IN = "/accounts/sign-in/"
HOME = "/"
# What a browser sends when someone submits a form without filling anything in: only the
# CSRF token (the test client does not check it). A body with no fields at all would leave
# the views' `Form(request.POST or None)` unbound, re-showing the blank form with a 200.
BLANK_FORM = {"csrfmiddlewaretoken": "x"}


# --- Who may do what with which case ----------------------------------------------------------


class Level(IntEnum):
    """How much a person may do with a case; each level includes the ones below it."""

    NONE = 0  # a 404, exactly as if the case did not exist
    SEE = 1  # read-only: a live access grant
    WORK = 2  # change the record: allocated, manages the team, org admin, the owning family
    ALLOCATE = 3  # also (de)allocate: org admin, or manager of the case's team (councils/schools)


NONE, SEE, WORK, ALLOCATE = Level.NONE, Level.SEE, Level.WORK, Level.ALLOCATE

# Persona fixtures (conftest.py), plus "anonymous", who is not signed in.
PERSONAS = [
    "worker",
    "colleague",
    "manager",
    "other_team_manager",
    "org_admin",
    "outsider",
    "senco",
    "teacher",
    "parent",
    "other_parent",
    "advocate",
    "anonymous",
]

# Case fixtures (conftest.py). Each child here has exactly one case, so what a person may do
# with the child's record is what they may do with this case.
CASES = ["kayden_case", "noah_case", "freddie_la_case", "freddie_family_case", "harvey_case"]

# THE POLICY. Anything not listed is NONE.
ACCESS: dict[str, dict[str, Level]] = {
    # Amira: allocated worker on Kayden's and Freddie's Northmoor cases; Noah is Lewis's.
    "worker": {"kayden_case": WORK, "freddie_la_case": WORK},
    # Lewis: same team as Amira, but allocated only to Noah.
    "colleague": {"noah_case": WORK},
    # Dan: manages Children in Need Team North, which holds all three Northmoor cases.
    "manager": {"kayden_case": ALLOCATE, "noah_case": ALLOCATE, "freddie_la_case": ALLOCATE},
    # Grace: manages another Northmoor team; being a manager is not a key to every case.
    "other_team_manager": {},
    # Priya: admin of Northmoor, so every Northmoor case, but nobody else's.
    "org_admin": {"kayden_case": ALLOCATE, "noah_case": ALLOCATE, "freddie_la_case": ALLOCATE},
    # Sofia: Eastvale worker allocated to Harvey; only Eastvale's manager allocates.
    "outsider": {"harvey_case": WORK},
    # The school's staff hold their own Freddie Morgan record, not these.
    "senco": {},
    "teacher": {},
    # Jo: a read-only grant on Northmoor's case; her family's own case is hers to work on
    # (but a family organisation has no teams, so nobody allocates it).
    "parent": {"freddie_la_case": SEE, "freddie_family_case": WORK},
    # Another family sees nothing of the Morgans'.
    "other_parent": {},
    # Ruth: a read-only grant on the Morgans' own case only.
    "advocate": {"freddie_family_case": SEE},
    "anonymous": {},
}

# Organisation admins: they change their own organisation's recording settings (types of
# contact, topics, recording limit). A family has no admin.
ORGANISATION_ADMINS = {"org_admin"}

# Team managers: sent from the organisation's compliance dashboard on to their team's.
TEAM_MANAGERS = {"manager", "other_team_manager", "senco"}

# Council and school staff: the actions completed case audits give them.
STAFF = {
    "worker",
    "colleague",
    "manager",
    "other_team_manager",
    "org_admin",
    "outsider",
    "senco",
    "teacher",
}
# Whom the matrix's case audit action is for: the case's worker (audits are for councils and
# schools with teams, so there is none on the family's own case).
AUDIT_ASSIGNEE = {
    "kayden_case": "worker",
    "noah_case": "colleague",
    "freddie_la_case": "worker",
    "harvey_case": "outsider",
}

# Roles that record new children and open cases (a teacher and an advocate do not).
ADDS_CHILDREN = {
    "worker",
    "colleague",
    "manager",
    "other_team_manager",
    "org_admin",
    "outsider",
    "senco",
    "parent",
    "other_parent",
}

# For nested routes, the "foreign" variant pairs this case's child (or case) with an adult,
# professional or grant that belongs to another child (or case): always a 404, even for
# someone who may work on both.
PARTNER = {
    "kayden_case": "noah_case",
    "noah_case": "kayden_case",
    "freddie_la_case": "freddie_family_case",
    "freddie_family_case": "freddie_la_case",
    "harvey_case": "kayden_case",
}


# --- What each route needs ---------------------------------------------------------------------


class Target(Enum):
    """What a route is about, and so how its URL kwargs are built from a target case."""

    NOTHING = "nothing"  # no kwargs
    CASE = "case"  # case_id
    CHILD = "child"  # child_id = case.child_id
    ADULT = "adult"  # child_id, adult_id (a RelatedAdult of that child, or a foreign one)
    PROFESSIONAL = "professional"  # child_id, professional_id (likewise)
    GRANT = "grant"  # case_id, grant_id (a live AccessGrant on that case, or a foreign one)
    NOTE = "note"  # entry_id: a final visit note on the case (reported as on the wrong child)
    DRAFT = "draft"  # entry_id: a draft on the case, by the persona in DRAFT_AUTHOR
    CONTACT_TYPE = "contact type"  # contact_type_id: a type of contact of the case's organisation
    TAG = "tag"  # tag_id: a topic of the case's organisation
    ACTION = "action"  # action_id: an open next action on the case
    # action_id: an open statutory deadline on the case that the law allows exceptions to
    CLOCK = "clock"
    PROMISE = "promise"  # entry_id: an interaction on the case with a dated promise, not tracked
    CALENDAR = "calendar"  # token: the secret address of a live calendar feed
    DOCUMENT = "document"  # document_id: a document in the evidence vault on the case
    CATEGORY = "category"  # category_id: a document category of the case's organisation
    # team_id: the team the case is allocated to (for a case with none, a team that does not
    # exist): its managers and the organisation's admins are exactly who allocate the case.
    TEAM = "team"
    # Case audits (issue 6) of the case, made by whoever audits it (its team's manager):
    AUDIT = "audit"  # audit_id: an audit of the case in progress
    AUDIT_ANSWER = "audit answer"  # audit_id, question_id: one of its checklist questions
    # action_id: an open action for the case's worker from a completed audit of the case
    AUDIT_ACTION = "audit action"
    AUDIT_QUESTION = "audit question"  # question_id: a checklist question of the organisation
    # Issue 7: version_id: a plan version on the case whose sections are not yet confirmed
    # (made by its family), where the case is an EHCP tracking case; an id that exists nowhere
    # for any other case.
    PLAN_VERSION = "plan version"
    # version_id, other_id: the case's confirmed demo draft and that unconfirmed version.
    PLAN_VERSIONS = "plan versions"
    # version_id, flag_key: the case's confirmed demo draft and the first of its flags, where
    # the case is an EHCP tracking case; ids that exist nowhere for any other case.
    PLAN_FLAG = "plan flag"
    # Issue 7: version_id: the case's confirmed demo draft, where the case is an EHCP tracking
    # case; an id that exists nowhere for any other case.
    CONFIRMED_PLAN = "confirmed plan"
    # version_id, section, item_key: the first Section F item of that draft (likewise).
    PROVISION_ITEM = "provision item"
    # annotation_id: the family's annotation on that draft (the demo's; likewise).
    ANNOTATION = "annotation"
    # Issue 7: grant_id: a live grant from the Morgan family (the parent persona's) of all its
    # children, to an advocate who is nobody's persona, so it changes no other cell.
    FAMILY_GRANT = "family grant"
    # Issue 8: entry_id: the demo school's (Riverside's) SEN register entry for Freddie Morgan,
    # who is in Oak class, which the teacher persona (Tom Barnes) teaches.
    REGISTER_ENTRY = "register entry"
    # Issue 8: child_id: Riverside's record of Freddie Morgan, whose SEN records Riverside
    # shares with his mother (the parent persona, Jo Morgan) and who has a passport and a
    # support plan in its second cycle.
    PUPIL = "pupil"
    # child_id: Riverside's Leo Fraser (Oak class), who has no support plan yet.
    PUPIL_WITHOUT_PLAN = "pupil without a plan"
    # child_id, number: the first version of Freddie's passport.
    PASSPORT_VERSION = "passport version"
    # child_id, number: a version of Freddie's passport with a photo, made for the matrix.
    PASSPORT_PHOTO = "passport photo"
    # child_id, target_id: a target of the current cycle of Freddie's support plan.
    PLAN_TARGET = "plan target"
    # child_id, cycle_id: the current cycle of Freddie's support plan.
    PLAN_CYCLE = "plan cycle"
    # child_id, access_id: Jo Morgan's live access to Freddie's SEN records.
    PARENT_ACCESS = "parent access"
    # class_id: Riverside's Oak class, which the teacher persona teaches.
    SCHOOL_CLASS = "school class"
    # The provision map: intervention_id: Riverside's Talk Boost KS2; group_id: its Oak class
    # group (Freddie and Leo); place_id: Freddie's place in it.
    INTERVENTION = "intervention"
    INTERVENTION_GROUP = "intervention group"
    PLACE = "place"


class Needs(Enum):
    PUBLIC = "public"  # anyone; signed-in people are sent on to their caseload
    SIGNED_IN = "signed in"
    ADDS_CHILDREN = "a role that adds children"
    SEE = "see the case"
    WORK = "work on the case"
    ALLOCATE = "allocate the case"
    AUTHOR = "be the draft's author"  # recording rule 3: a draft is its author's alone
    VIEWERS = "see who viewed the case"  # the case's managers and admins; a family, its own
    ADMIN = "be an admin of the case's organisation"  # rules 5 and 6: amend, move
    TOKEN = "hold the secret address"  # a calendar feed: the address is the key, no session
    ORGANISATION_ADMIN = "an organisation admin"  # the recording settings of one's own
    # The organisation's compliance dashboard: its admins; a team manager is sent on to their
    # own team's dashboard (TEAM_MANAGERS), everyone else gets a 404.
    MONITORS = "monitor the organisation"
    AUDITS = "audit cases"  # an organisation admin or a team manager (of a council or school)
    STAFF = "staff of a council or school"
    ASSIGNEE = "be the one the audit's action is for"  # the case's worker (AUDIT_ASSIGNEE)
    # Issue 7: change an EHCP status: work on the case, and it is an EHCP tracking case
    # (EHCP_CASES); a read-only grant (the advocate) is not enough.
    WORK_ON_EHCP = "work on an EHCP tracking case"
    # Issue 7: read plan versions and compare them: see the case, and it is an EHCP tracking
    # case; a read-only grant (the advocate) is enough.
    SEE_EHCP = "see an EHCP tracking case"
    # Issue 7: a family's own sharing page: a member of a family (FAMILY_PERSONAS).
    FAMILY = "a member of a family"
    # Issue 7: revoke a family's grant: a member of the family that gave it (GRANTING_FAMILY).
    GRANTING_FAMILY = "a member of the family that gave the grant"
    # Issue 8: read a school's SEN register: a member of staff of the school (SCHOOL_STAFF).
    SCHOOL_STAFF = "staff of the school"
    # Issue 8: keep it (add, change, remove): its SENCO or an admin (SEN_REGISTER_KEEPERS).
    SEN_REGISTER = "keep the school's SEN register"
    # Issue 8: read a pupil's SEN records (passport, current plan and reviews): staff who see
    # the pupil (the SENCO, head and admins; a teacher of one of the pupil's classes) and a
    # parent the school shares them with (PUPIL_READERS).
    SEES_PUPIL = "see the pupil's SEN records"
    # Issue 8: the staff-only pages about a pupil (provision, the graduated approach summary):
    # staff who see the pupil (PUPIL_STAFF).
    PUPIL_STAFF = "staff who see the pupil"
    # Issue 8: add views to a review: a parent the school shares the pupil's records with.
    PUPIL_PARENT = "a parent the school shares the pupil's records with"


class Post(Enum):
    NO = "no"  # a read-only page: not POSTed here
    FORM = "empty form"  # POST BLANK_FORM: 400 (or post_status) if allowed, else 404
    DENIED_ONLY = "denied only"  # a POST really acts: only POSTed by people who must get 404
    # A one-click button: an empty POST really acts. POSTed by everyone: people who may are
    # redirected to `acted_page` of the case and something is audited; the rest get a 404.
    ACTS = "acts"


@dataclass(frozen=True)
class Route:
    target: Target
    needs: Needs
    post: Post = Post.NO
    get_status: int = 200  # what a permitted GET gets
    post_status: int = 400  # what a permitted empty POST gets
    also_adds_children: bool = False  # needs WORK and a role that adds children
    shows_name: bool = True  # a permitted page names the child
    shows_reference: bool = False  # a permitted page names the case reference
    acted_page: str = ""  # Post.ACTS: the route (of the case) a permitted POST redirects to
    # URL kwargs that are the same for every cell (a dashboard's section, say).
    fixed: tuple[tuple[str, str], ...] = ()


ROUTES: dict[str, Route] = {
    "ui:home": Route(Target.NOTHING, Needs.SIGNED_IN, shows_name=False),
    "accounts:sign-in": Route(Target.NOTHING, Needs.PUBLIC, shows_name=False),
    "accounts:sign-out": Route(
        Target.NOTHING,
        Needs.SIGNED_IN,
        post=Post.FORM,
        get_status=405,
        post_status=302,
        shows_name=False,
    ),
    "people:child-create": Route(
        Target.NOTHING, Needs.ADDS_CHILDREN, post=Post.FORM, shows_name=False
    ),
    "people:child-detail": Route(Target.CHILD, Needs.SEE),
    "people:child-edit": Route(Target.CHILD, Needs.WORK, post=Post.FORM),
    "people:adult-add": Route(Target.CHILD, Needs.WORK, post=Post.FORM),
    "people:adult-edit": Route(Target.ADULT, Needs.WORK, post=Post.FORM),
    "people:professional-add": Route(Target.CHILD, Needs.WORK, post=Post.FORM),
    "people:professional-edit": Route(Target.PROFESSIONAL, Needs.WORK, post=Post.FORM),
    "people:case-open": Route(Target.CHILD, Needs.WORK, post=Post.FORM, also_adds_children=True),
    "people:household-link": Route(Target.CHILD, Needs.WORK, post=Post.FORM),
    # A permitted POST really unlinks the child, so only refusals are posted here; the move
    # itself is tested in the people service tests.
    "people:household-leave": Route(Target.CHILD, Needs.WORK, post=Post.DENIED_ONLY),
    "cases:case-detail": Route(Target.CASE, Needs.SEE, shows_reference=True),
    "cases:case-allocate": Route(Target.CASE, Needs.ALLOCATE, post=Post.FORM, shows_reference=True),
    "cases:case-deallocate": Route(
        Target.CASE, Needs.ALLOCATE, post=Post.FORM, shows_reference=True
    ),
    "cases:case-close": Route(Target.CASE, Needs.WORK, post=Post.FORM, shows_reference=True),
    "cases:case-reopen": Route(Target.CASE, Needs.WORK, post=Post.FORM, shows_reference=True),
    "cases:grant-create": Route(Target.CASE, Needs.WORK, post=Post.FORM, shows_reference=True),
    # The confirmation page names the case, not the child; a permitted POST revokes for real,
    # so that is tested on its own below.
    "cases:grant-revoke": Route(
        Target.GRANT, Needs.WORK, post=Post.DENIED_ONLY, shows_name=False, shows_reference=True
    ),
    # The ledger. A note is read by everyone who sees the case, corrected by those who work
    # on it; a draft is its author's alone; a permitted POST to finalise or delete a draft
    # really does it, so only refusals are posted here (tested for real in ledger/tests).
    "ledger:note-new": Route(Target.CASE, Needs.WORK, post=Post.FORM, shows_reference=True),
    "ledger:note-detail": Route(Target.NOTE, Needs.SEE, shows_reference=True),
    "ledger:note-edit": Route(Target.DRAFT, Needs.AUTHOR, post=Post.FORM, shows_reference=True),
    "ledger:note-finalise": Route(
        Target.DRAFT, Needs.AUTHOR, post=Post.DENIED_ONLY, shows_reference=True
    ),
    "ledger:note-discard": Route(
        Target.DRAFT, Needs.AUTHOR, post=Post.DENIED_ONLY, shows_reference=True
    ),
    "ledger:note-correct": Route(Target.NOTE, Needs.WORK, post=Post.FORM, shows_reference=True),
    "ledger:note-amend": Route(Target.NOTE, Needs.ADMIN, post=Post.FORM, shows_reference=True),
    "ledger:note-report": Route(Target.NOTE, Needs.ALLOCATE, post=Post.FORM, shows_reference=True),
    "ledger:note-move": Route(Target.NOTE, Needs.ADMIN, post=Post.FORM, shows_reference=True),
    "ledger:case-chronology": Route(Target.CASE, Needs.SEE, shows_reference=True),
    "ledger:case-chronology-print": Route(Target.CASE, Needs.SEE, shows_reference=True),
    "ledger:child-chronology": Route(Target.CHILD, Needs.SEE),
    "ledger:child-chronology-print": Route(Target.CHILD, Needs.SEE, shows_reference=True),
    "ledger:case-viewers": Route(Target.CASE, Needs.VIEWERS, shows_reference=True),
    # Next actions: seen with the case, changed by those who work on it.
    "actions:my-actions": Route(Target.NOTHING, Needs.SIGNED_IN, shows_name=False),
    "actions:overdue-actions": Route(Target.NOTHING, Needs.SIGNED_IN, shows_name=False),
    # Making an address is a real POST (tested in actions/tests); the feed needs only its token.
    "actions:calendar-feed": Route(Target.NOTHING, Needs.SIGNED_IN, shows_name=False),
    "actions:calendar-ics": Route(Target.CALENDAR, Needs.TOKEN, shows_name=False),
    # Marking reminders read and saving settings are the user's own (tested in actions/tests).
    "actions:notifications": Route(Target.NOTHING, Needs.SIGNED_IN, shows_name=False),
    "actions:reminder-settings": Route(Target.NOTHING, Needs.SIGNED_IN, shows_name=False),
    "actions:case-actions": Route(Target.CASE, Needs.SEE, shows_reference=True),
    "actions:action-add": Route(Target.CASE, Needs.WORK, post=Post.FORM, shows_reference=True),
    "actions:action-edit": Route(Target.ACTION, Needs.WORK, post=Post.FORM, shows_reference=True),
    "actions:action-done": Route(Target.ACTION, Needs.WORK, post=Post.FORM, shows_reference=True),
    "actions:action-cancel": Route(Target.ACTION, Needs.WORK, post=Post.FORM, shows_reference=True),
    # Issue 4. A lawful exception to a statutory deadline is recorded by those who work on the
    # case; a promise with a date becomes a next action in one click (the GET is its form,
    # for changing the details first).
    "actions:action-exception": Route(
        Target.CLOCK, Needs.WORK, post=Post.FORM, shows_reference=True
    ),
    "actions:action-from-promise": Route(
        Target.PROMISE,
        Needs.WORK,
        post=Post.ACTS,
        shows_reference=True,
        acted_page="actions:case-actions",
    ),
    # Interactions and timeline events are recorded by those who work on the case; the
    # timeline is read by everyone who sees it.
    "ledger:interaction-new": Route(Target.CASE, Needs.WORK, post=Post.FORM, shows_reference=True),
    "ledger:event-new": Route(Target.CASE, Needs.WORK, post=Post.FORM, shows_reference=True),
    "ledger:case-timeline": Route(Target.CASE, Needs.SEE, shows_reference=True),
    # Recording settings: an admin's own organisation's; a type of contact or topic of another
    # organisation (here, of a case another organisation holds) is a 404 even for an admin.
    "ledger:settings": Route(Target.NOTHING, Needs.ORGANISATION_ADMIN, shows_name=False),
    "ledger:contact-type-add": Route(
        Target.NOTHING, Needs.ORGANISATION_ADMIN, post=Post.FORM, shows_name=False
    ),
    "ledger:contact-type-edit": Route(
        Target.CONTACT_TYPE, Needs.ADMIN, post=Post.FORM, shows_name=False
    ),
    "ledger:tag-add": Route(
        Target.NOTHING, Needs.ORGANISATION_ADMIN, post=Post.FORM, shows_name=False
    ),
    "ledger:tag-edit": Route(Target.TAG, Needs.ADMIN, post=Post.FORM, shows_name=False),
    "ledger:recording-limit": Route(
        Target.NOTHING, Needs.ORGANISATION_ADMIN, post=Post.FORM, shows_name=False
    ),
    # Issue 6: the recording assistant's settings are the organisation admin's.
    "quality:settings": Route(
        Target.NOTHING, Needs.ORGANISATION_ADMIN, post=Post.FORM, shows_name=False
    ),
    # The bank holidays working days skip: shown to an organisation admin, with the settings.
    "workdays:working-days": Route(Target.NOTHING, Needs.ORGANISATION_ADMIN, shows_name=False),
    # Issue 5. The evidence vault: a document is read (and its file downloaded) by whoever
    # sees one of its cases, stored and described by those who work on it.
    "vault:case-documents": Route(Target.CASE, Needs.SEE, shows_reference=True),
    "vault:document-new": Route(Target.CASE, Needs.WORK, post=Post.FORM, shows_reference=True),
    "vault:document-detail": Route(Target.DOCUMENT, Needs.SEE, shows_reference=True),
    # The file itself: its bytes, not a page, so it names neither child nor case.
    "vault:document-file": Route(Target.DOCUMENT, Needs.SEE, shows_name=False),
    "vault:document-change": Route(Target.DOCUMENT, Needs.WORK, post=Post.FORM),
    "vault:document-version": Route(Target.DOCUMENT, Needs.WORK, post=Post.FORM),
    # Document categories, beside the recording settings: an admin's own organisation's.
    "vault:category-add": Route(
        Target.NOTHING, Needs.ORGANISATION_ADMIN, post=Post.FORM, shows_name=False
    ),
    "vault:category-edit": Route(Target.CATEGORY, Needs.ADMIN, post=Post.FORM, shows_name=False),
    # Search: everyone signed in searches what they may see (tests in search/tests); an empty
    # search is a form error.
    "search:search": Route(Target.NOTHING, Needs.SIGNED_IN, post=Post.FORM, shows_name=False),
    # Issue 6. Compliance monitoring (rule 13): an organisation's dashboards are its admins';
    # a team's are also its managers'. Read-only pages and CSV files; the visit intervals are
    # an admin setting.
    "compliance:organisation": Route(Target.NOTHING, Needs.MONITORS, shows_name=False),
    "compliance:organisation-section": Route(
        Target.NOTHING,
        Needs.ORGANISATION_ADMIN,
        shows_name=False,
        fixed=(("section", "late-notes"),),
    ),
    "compliance:trends": Route(Target.NOTHING, Needs.ORGANISATION_ADMIN, shows_name=False),
    "compliance:organisation-export": Route(
        Target.NOTHING,
        Needs.ORGANISATION_ADMIN,
        shows_name=False,
        fixed=(("section", "unresolved-findings"),),
    ),
    "compliance:team": Route(Target.TEAM, Needs.ALLOCATE, shows_name=False),
    "compliance:team-trends": Route(Target.TEAM, Needs.ALLOCATE, shows_name=False),
    "compliance:team-export": Route(
        Target.TEAM, Needs.ALLOCATE, shows_name=False, fixed=(("section", "late-notes"),)
    ),
    "compliance:visit-intervals": Route(
        Target.NOTHING, Needs.ORGANISATION_ADMIN, post=Post.FORM, shows_name=False
    ),
    # Case audits: sampled, graded and completed by the case's auditors (who allocate it); an
    # audit in progress is theirs alone. Its actions are for the worker, who marks them done
    # (a real POST, tested in case_audits/tests). The checklist is the admin's.
    "case_audits:audit-list": Route(Target.NOTHING, Needs.AUDITS, shows_name=False),
    "case_audits:audit-export": Route(Target.NOTHING, Needs.AUDITS, shows_name=False),
    "case_audits:audit-sample": Route(
        Target.NOTHING, Needs.AUDITS, post=Post.FORM, shows_name=False
    ),
    "case_audits:audit-detail": Route(Target.AUDIT, Needs.ALLOCATE, shows_reference=True),
    "case_audits:audit-grade": Route(
        Target.AUDIT_ANSWER, Needs.ALLOCATE, post=Post.FORM, shows_reference=True
    ),
    "case_audits:audit-action-add": Route(
        Target.AUDIT, Needs.ALLOCATE, post=Post.FORM, shows_reference=True
    ),
    "case_audits:audit-complete": Route(
        Target.AUDIT, Needs.ALLOCATE, post=Post.FORM, shows_reference=True
    ),
    "case_audits:my-audit-actions": Route(Target.NOTHING, Needs.STAFF, shows_name=False),
    "case_audits:audit-action-done": Route(
        Target.AUDIT_ACTION, Needs.ASSIGNEE, post=Post.DENIED_ONLY, shows_reference=True
    ),
    "case_audits:checklist": Route(Target.NOTHING, Needs.ORGANISATION_ADMIN, shows_name=False),
    "case_audits:question-add": Route(
        Target.NOTHING, Needs.ORGANISATION_ADMIN, post=Post.FORM, shows_name=False
    ),
    "case_audits:question-edit": Route(
        Target.AUDIT_QUESTION, Needs.ADMIN, post=Post.FORM, shows_name=False
    ),
    # Issue 7: the family changes its EHCP tracking case's status; everyone who sees the case
    # sees the status on the case page (cases:case-detail).
    "ehcp:status-change": Route(
        Target.CASE, Needs.WORK_ON_EHCP, post=Post.FORM, shows_reference=True
    ),
    # Issue 7: everyone who sees an EHCP tracking case reads its plan versions and compares
    # them; its family adds versions and confirms their sections.
    "ehcp:plan": Route(Target.CASE, Needs.SEE_EHCP, shows_reference=True),
    "ehcp:version-add": Route(
        Target.CASE, Needs.WORK_ON_EHCP, post=Post.FORM, shows_reference=True
    ),
    "ehcp:version-detail": Route(Target.PLAN_VERSION, Needs.SEE_EHCP, shows_reference=True),
    "ehcp:version-sections": Route(
        Target.PLAN_VERSION, Needs.WORK_ON_EHCP, post=Post.FORM, shows_reference=True
    ),
    "ehcp:version-compare": Route(Target.PLAN_VERSIONS, Needs.SEE_EHCP, shows_reference=True),
    # Everyone who sees the case sees a confirmed version's flags (on ehcp:version-detail); its
    # family confirms or dismisses them.
    "ehcp:flag-decide": Route(
        Target.PLAN_FLAG, Needs.WORK_ON_EHCP, post=Post.FORM, shows_reference=True
    ),
    # Issue 7: a family shares its children's records with an advocate, one child or all of
    # them, from its own sharing page (which also lists who outside it viewed them); nobody
    # else has one. Only the family that gave a grant revokes it; a permitted POST revokes for
    # real, so that is tested on its own below and in cases/tests/test_family_grants.py.
    # Issue 7: everyone who sees an EHCP tracking case reads a confirmed version's provision
    # and the needs it meets, its annotations and the working document, and comments on its
    # flags, annotations and notes (an advocate's comment is their own record); only its
    # family links provision to needs, annotates, and chooses the reports behind the plan.
    "ehcp:provision": Route(Target.CONFIRMED_PLAN, Needs.SEE_EHCP, shows_reference=True),
    "ehcp:item-needs": Route(
        Target.PROVISION_ITEM, Needs.WORK_ON_EHCP, post=Post.DENIED_ONLY, shows_reference=True
    ),
    "ehcp:version-reports": Route(
        Target.CONFIRMED_PLAN, Needs.WORK_ON_EHCP, post=Post.DENIED_ONLY, shows_reference=True
    ),
    "ehcp:annotation-add": Route(
        Target.CONFIRMED_PLAN, Needs.WORK_ON_EHCP, post=Post.FORM, shows_reference=True
    ),
    "ehcp:annotation-detail": Route(Target.ANNOTATION, Needs.SEE_EHCP, shows_reference=True),
    "ehcp:annotation-edit": Route(
        Target.ANNOTATION, Needs.WORK_ON_EHCP, post=Post.FORM, shows_reference=True
    ),
    "ehcp:flag-comment": Route(
        Target.PLAN_FLAG, Needs.SEE_EHCP, post=Post.FORM, shows_reference=True
    ),
    "ehcp:annotation-comment": Route(
        Target.ANNOTATION, Needs.SEE_EHCP, post=Post.FORM, shows_reference=True
    ),
    "ehcp:note-comment": Route(Target.NOTE, Needs.SEE_EHCP, post=Post.FORM, shows_reference=True),
    # A Word file, not a page: whoever may read it gets the file (its content is tested in
    # ehcp/tests/test_annotation_views.py).
    "ehcp:working-document": Route(
        Target.CONFIRMED_PLAN, Needs.SEE_EHCP, shows_name=False, fixed=(("file_type", "docx"),)
    ),
    "cases:sharing": Route(Target.NOTHING, Needs.FAMILY, post=Post.FORM, shows_name=False),
    # Issue 8: the demo school's staff read its SEN register (and its CSV); its SENCO keeps
    # it. Everyone else — a council, a family, an advocate — gets a 404.
    "sen:register": Route(Target.NOTHING, Needs.SCHOOL_STAFF, shows_name=False),
    "sen:register-export": Route(Target.NOTHING, Needs.SCHOOL_STAFF, shows_name=False),
    "sen:entry-add": Route(Target.NOTHING, Needs.SEN_REGISTER, post=Post.FORM, shows_name=False),
    "sen:entry-detail": Route(Target.REGISTER_ENTRY, Needs.SCHOOL_STAFF, shows_name=False),
    "sen:entry-change": Route(
        Target.REGISTER_ENTRY, Needs.SEN_REGISTER, post=Post.FORM, shows_name=False
    ),
    "sen:entry-remove": Route(
        Target.REGISTER_ENTRY, Needs.SEN_REGISTER, post=Post.FORM, shows_name=False
    ),
    "cases:sharing-revoke": Route(
        Target.FAMILY_GRANT, Needs.GRANTING_FAMILY, post=Post.DENIED_ONLY, shows_name=False
    ),
    # Issue 8: classes. Staff read them (a teacher the classes they teach: Oak class is Tom's);
    # the SENCO and admins set them up.
    "sen:classes": Route(Target.NOTHING, Needs.SCHOOL_STAFF, shows_name=False),
    "sen:class-add": Route(Target.NOTHING, Needs.SEN_REGISTER, post=Post.FORM, shows_name=False),
    "sen:class": Route(Target.SCHOOL_CLASS, Needs.SCHOOL_STAFF),
    "sen:class-change": Route(Target.SCHOOL_CLASS, Needs.SEN_REGISTER, post=Post.FORM),
    # A pupil's page, for staff who see them and, in plain language, the parent the school
    # shares their records with; who the school shares them with is for its SENCO.
    "sen:pupil": Route(Target.PUPIL, Needs.SEES_PUPIL),
    "sen:parents": Route(Target.PUPIL, Needs.SEN_REGISTER, post=Post.FORM),
    "sen:parent-revoke": Route(Target.PARENT_ACCESS, Needs.SEN_REGISTER, post=Post.DENIED_ONLY),
    # A parent's list of the pupils schools share with them (empty for the other parent).
    "sen:my-children": Route(Target.NOTHING, Needs.FAMILY, shows_name=False),
    # Passports: read by staff who see the pupil and by the parent; written by the SENCO.
    "passports:passport": Route(Target.PUPIL, Needs.SEES_PUPIL),
    "passports:version": Route(Target.PASSPORT_VERSION, Needs.SEES_PUPIL),
    "passports:passport-new": Route(Target.PUPIL, Needs.SEN_REGISTER, post=Post.FORM),
    # A PDF and an image: whoever may read the passport gets the file (tested in
    # passports/tests).
    "passports:passport-pdf": Route(Target.PUPIL, Needs.SEES_PUPIL, shows_name=False),
    "passports:photo": Route(Target.PASSPORT_PHOTO, Needs.SEES_PUPIL, shows_name=False),
    # Support plans: the plan (plain language for the parent), its changes for the SENCO, the
    # parent's views on the current cycle, the summary for staff, reviews due for staff.
    "support_plans:plan": Route(Target.PUPIL, Needs.SEES_PUPIL),
    "support_plans:start": Route(Target.PUPIL_WITHOUT_PLAN, Needs.SEN_REGISTER, post=Post.FORM),
    "support_plans:change": Route(Target.PUPIL, Needs.SEN_REGISTER, post=Post.FORM),
    "support_plans:target-add": Route(Target.PUPIL, Needs.SEN_REGISTER, post=Post.FORM),
    "support_plans:target-change": Route(Target.PLAN_TARGET, Needs.SEN_REGISTER, post=Post.FORM),
    "support_plans:review": Route(Target.PUPIL, Needs.SEN_REGISTER, post=Post.FORM),
    "support_plans:meeting-add": Route(Target.PUPIL, Needs.SEN_REGISTER, post=Post.FORM),
    "support_plans:access": Route(Target.PUPIL, Needs.SEN_REGISTER, post=Post.FORM),
    "support_plans:add-views": Route(Target.PLAN_CYCLE, Needs.PUPIL_PARENT, post=Post.FORM),
    # The summary, for an EHC needs assessment request, names the pupil by their legal name.
    "support_plans:summary": Route(Target.PUPIL, Needs.PUPIL_STAFF, shows_name=False),
    "support_plans:summary-pdf": Route(Target.PUPIL, Needs.PUPIL_STAFF, shows_name=False),
    "support_plans:reviews": Route(Target.NOTHING, Needs.SCHOOL_STAFF, shows_name=False),
    # The provision map: the school's staff read it (a teacher sees only their own pupils'
    # places in a group); its SENCO and admins keep it. Parents never see it.
    "provision:map": Route(Target.NOTHING, Needs.SCHOOL_STAFF, shows_name=False),
    "provision:map-export": Route(Target.NOTHING, Needs.SCHOOL_STAFF, shows_name=False),
    "provision:reports": Route(Target.NOTHING, Needs.SCHOOL_STAFF, shows_name=False),
    "provision:reports-export": Route(
        Target.NOTHING,
        Needs.SCHOOL_STAFF,
        shows_name=False,
        fixed=(("table", "interventions-ranked"),),
    ),
    "provision:scales": Route(Target.NOTHING, Needs.SCHOOL_STAFF, shows_name=False),
    "provision:scale-add": Route(
        Target.NOTHING, Needs.SEN_REGISTER, post=Post.FORM, shows_name=False
    ),
    "provision:interventions": Route(Target.NOTHING, Needs.SCHOOL_STAFF, shows_name=False),
    "provision:intervention-add": Route(
        Target.NOTHING, Needs.SEN_REGISTER, post=Post.FORM, shows_name=False
    ),
    "provision:intervention": Route(Target.INTERVENTION, Needs.SCHOOL_STAFF),
    "provision:intervention-change": Route(Target.INTERVENTION, Needs.SEN_REGISTER, post=Post.FORM),
    "provision:group-add": Route(Target.INTERVENTION, Needs.SEN_REGISTER, post=Post.FORM),
    "provision:group": Route(Target.INTERVENTION_GROUP, Needs.SCHOOL_STAFF),
    "provision:group-end": Route(Target.INTERVENTION_GROUP, Needs.SEN_REGISTER, post=Post.FORM),
    "provision:session-add": Route(Target.INTERVENTION_GROUP, Needs.SEN_REGISTER, post=Post.FORM),
    "provision:place-add": Route(Target.INTERVENTION_GROUP, Needs.SEN_REGISTER, post=Post.FORM),
    "provision:place-end": Route(Target.PLACE, Needs.SEN_REGISTER, post=Post.FORM),
    "provision:place-exit": Route(Target.PLACE, Needs.SEN_REGISTER, post=Post.FORM),
    "provision:place-change": Route(Target.PLACE, Needs.SEN_REGISTER, post=Post.FORM),
    "provision:pupil": Route(Target.PUPIL, Needs.PUPIL_STAFF),
    # CSVs of an intervention's pupils (a teacher gets only their own pupils' rows) and of a
    # pupil's provision: the same people as the pages.
    "provision:intervention-export": Route(
        Target.INTERVENTION, Needs.SCHOOL_STAFF, shows_name=False, fixed=(("table", "pupils"),)
    ),
    "provision:pupil-export": Route(Target.PUPIL, Needs.PUPIL_STAFF),
}

LEVEL_NEEDED = {Needs.SEE: SEE, Needs.WORK: WORK, Needs.ALLOCATE: ALLOCATE}

# Who wrote the matrix's draft and note on each case: someone who works on it.
DRAFT_AUTHOR = {
    "kayden_case": "worker",
    "noah_case": "colleague",
    "freddie_la_case": "worker",
    "freddie_family_case": "parent",
    "harvey_case": "outsider",
}
FAMILY_PERSONAS = {"parent", "other_parent"}
# The family whose grant the matrix's Target.FAMILY_GRANT is: the Morgans.
GRANTING_FAMILY = {"parent"}
# The matrix's EHCP tracking cases: the only ones with an EHCP status.
EHCP_CASES = {"freddie_family_case"}
# Issue 8: the staff of the demo school (Riverside), and those of them who keep its register.
SCHOOL_STAFF = {"senco", "teacher"}
SEN_REGISTER_KEEPERS = {"senco"}
# Issue 8: who sees Freddie's SEN records at Riverside: its SENCO, his class teacher (Oak
# class) and his mother, with whom the school shares them; the staff among them.
PUPIL_READERS = {"senco", "teacher", "parent"}
PUPIL_STAFF = {"senco", "teacher"}
PUPIL_PARENTS = {"parent"}


# --- The cells -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    persona: str
    route: str
    case: str | None  # a key of CASES, or None for routes about nothing in particular
    foreign: bool = False  # nested routes: the adult/professional/grant belongs elsewhere

    def __str__(self) -> str:
        target = self.case or "-"
        if self.foreign:
            target += "+foreign"
        return f"{self.persona}|{self.route}|{target}"


# Issue 8: targets about a pupil of the demo school, not about one of the matrix's cases.
PUPIL_TARGETS = {
    Target.REGISTER_ENTRY,
    Target.PUPIL,
    Target.PUPIL_WITHOUT_PLAN,
    Target.PASSPORT_VERSION,
    Target.PASSPORT_PHOTO,
    Target.PLAN_TARGET,
    Target.PLAN_CYCLE,
    Target.PARENT_ACCESS,
    Target.SCHOOL_CLASS,
    Target.INTERVENTION,
    Target.INTERVENTION_GROUP,
    Target.PLACE,
}
LOOSE_TARGETS = {Target.NOTHING, Target.CALENDAR, Target.FAMILY_GRANT} | PUPIL_TARGETS
FLAT_TARGETS = {
    Target.CASE,
    Target.CHILD,
    Target.NOTE,
    Target.DRAFT,
    Target.CONTACT_TYPE,
    Target.TAG,
    Target.ACTION,
    Target.CLOCK,
    Target.PROMISE,
    Target.DOCUMENT,
    Target.CATEGORY,
    Target.TEAM,
    Target.AUDIT,
    Target.AUDIT_ANSWER,
    Target.AUDIT_ACTION,
    Target.AUDIT_QUESTION,
    Target.PLAN_VERSION,
    Target.PLAN_VERSIONS,
    Target.PLAN_FLAG,
    Target.CONFIRMED_PLAN,
    Target.PROVISION_ITEM,
    Target.ANNOTATION,
}


def targets_for(route: Route) -> list[tuple[str | None, bool]]:
    if route.target in LOOSE_TARGETS:
        return [(None, False)]
    if route.target in FLAT_TARGETS:
        return [(case, False) for case in CASES]
    return [(case, foreign) for case in CASES for foreign in (False, True)]


CELLS = [
    Cell(persona, name, case, foreign)
    for name, route in ROUTES.items()
    for case, foreign in targets_for(route)
    for persona in PERSONAS
]


@dataclass(frozen=True)
class Expect:
    status: int
    location: str | None = None  # for a redirect: where it must go (a prefix)

    @property
    def permitted(self) -> bool:
        return self.status not in {302, 404} or self.location == HOME


def allowed(cell: Cell, route: Route) -> bool:
    if route.needs is Needs.PUBLIC or route.needs is Needs.SIGNED_IN:
        return True
    if route.needs is Needs.ADDS_CHILDREN:
        return cell.persona in ADDS_CHILDREN
    if route.needs is Needs.ORGANISATION_ADMIN or route.needs is Needs.MONITORS:
        return cell.persona in ORGANISATION_ADMINS
    if route.needs is Needs.AUDITS:
        return cell.persona in ORGANISATION_ADMINS | TEAM_MANAGERS
    if route.needs is Needs.STAFF:
        return cell.persona in STAFF
    if route.needs is Needs.FAMILY:
        return cell.persona in FAMILY_PERSONAS
    if route.needs is Needs.GRANTING_FAMILY:
        return cell.persona in GRANTING_FAMILY
    if route.needs is Needs.SCHOOL_STAFF:
        return cell.persona in SCHOOL_STAFF
    if route.needs is Needs.SEN_REGISTER:
        return cell.persona in SEN_REGISTER_KEEPERS
    if route.needs is Needs.SEES_PUPIL:
        return cell.persona in PUPIL_READERS
    if route.needs is Needs.PUPIL_STAFF:
        return cell.persona in PUPIL_STAFF
    if route.needs is Needs.PUPIL_PARENT:
        return cell.persona in PUPIL_PARENTS
    assert cell.case is not None
    level = ACCESS[cell.persona].get(cell.case, NONE)
    if route.needs is Needs.AUTHOR:
        return DRAFT_AUTHOR[cell.case] == cell.persona
    if route.needs is Needs.ASSIGNEE:
        return AUDIT_ASSIGNEE.get(cell.case) == cell.persona
    if route.needs is Needs.VIEWERS:
        return level >= ALLOCATE or (level >= WORK and cell.persona in FAMILY_PERSONAS)
    if route.needs is Needs.ADMIN:
        return cell.persona == "org_admin" and level >= WORK
    if route.needs is Needs.WORK_ON_EHCP:
        return level >= WORK and cell.case in EHCP_CASES
    if route.needs is Needs.SEE_EHCP:
        return level >= SEE and cell.case in EHCP_CASES
    if level < LEVEL_NEEDED[route.needs] or cell.foreign:
        return False
    return not route.also_adds_children or cell.persona in ADDS_CHILDREN


def expected(cell: Cell) -> tuple[Expect, Expect | None]:
    """What a GET, and (for write routes) an empty POST, must get in this cell."""
    route = ROUTES[cell.route]
    posts = route.post is not Post.NO
    if route.needs is Needs.TOKEN:
        return Expect(200), None
    if cell.persona == "anonymous":
        if route.needs is Needs.PUBLIC:
            return Expect(200), None
        sign_in = Expect(302, SIGN_IN)
        return sign_in, sign_in if posts else None
    if route.needs is Needs.PUBLIC:
        return Expect(302, HOME), None
    if route.needs is Needs.MONITORS and cell.persona in TEAM_MANAGERS:
        return Expect(302, "/manage/teams/"), None
    if not allowed(cell, route):
        return Expect(404), Expect(404) if posts else None
    if route.post is Post.ACTS:
        # Where it lands depends on the case: the test checks the address (see `acted_at`).
        return Expect(route.get_status), Expect(302)
    post = Expect(route.post_status, SIGN_IN if route.post_status == 302 else None)
    return Expect(route.get_status), post if route.post is Post.FORM else None


# --- Building URLs -----------------------------------------------------------------------------


def _first_or_create(model: type[Model], create: dict[str, Any], **lookup: Any) -> Any:
    """A real row of the demo world if there is one; otherwise one made for this test only."""
    row = model._default_manager.filter(**lookup).order_by("pk").first()
    return row if row is not None else model._default_manager.create(**lookup, **create)


def adult_of(child: Child) -> RelatedAdult:
    return _first_or_create(
        RelatedAdult,
        {"full_name": "Morag Test-Adult", "relationship": "other"},
        child=child,
        has_parental_responsibility=False,
    )


def professional_of(child: Child) -> Professional:
    return _first_or_create(
        Professional,
        {"full_name": "Dr Test Professional", "role": "Therapist", "organisation_name": "NHS"},
        child=child,
    )


def live_grant_on(case: Case) -> AccessGrant:
    grant = case.grants.filter(revoked_at__isnull=True).order_by("pk").first()
    if grant is not None:
        return grant
    # Ben Carter is nobody's persona here, so this grant changes no cell of the matrix.
    grantee = User.objects.get(email="ben.carter@northmoor.example")
    granted_by = case.allocated_worker or case.organisation.members.order_by("email").first()
    return AccessGrant.objects.create(
        case=case, grantee=grantee, kind=AccessGrant.Kind.FAMILY_MEMBER, granted_by=granted_by
    )


def matrix_family_grant() -> FamilyGrant:
    """A live grant of all the Morgans' children, given by Jo Morgan through the service to an
    advocate made for the matrix: nobody's persona, so no other cell changes."""
    found = FamilyGrant.objects.filter(grantee__email="matrix.advocate@sendvoices.example").first()
    if found is not None:
        return found
    ruth = User.objects.get(email="ruth.ellis@sendvoices.example")
    User.objects.create_user(
        "matrix.advocate@sendvoices.example",
        full_name="Morwenna Matrix-Advocate",
        role=User.Role.ADVOCATE,
        organisation=ruth.organisation,
    )
    jo = User.objects.get(email="jo.morgan@family.example")
    assert jo.organisation is not None
    return cases_services.grant_family_access(
        actor=jo,
        organisation=jo.organisation,
        grantee_email="matrix.advocate@sendvoices.example",
        child=None,
        expires_on=None,
    )


def riverside_pupil(last_name: str) -> Child:
    return Child.objects.get(organisation__reference_prefix="RPS", last_name=last_name)


def pupil_kwargs(target: Target) -> Built:
    """Issue 8: the demo school's records of Freddie Morgan (or, for a plan to start, of Leo
    Fraser), named on every permitted page and on no refused one."""
    freddie = riverside_pupil("Morgan")
    names = [freddie.display_name]
    kwargs: dict[str, UUID | str] = {"child_id": freddie.id}
    if target is Target.REGISTER_ENTRY:
        return Built({"entry_id": RegisterEntry.objects.get(child=freddie).id}, [], names)
    if target is Target.SCHOOL_CLASS:
        oak = SchoolClass.objects.get(organisation=freddie.organisation, name="Oak class")
        return Built({"class_id": oak.id}, [], [oak.name])
    if target in (Target.INTERVENTION, Target.INTERVENTION_GROUP, Target.PLACE):
        place = Place.objects.select_related("group__intervention").get(
            child=freddie, group__intervention__name="Talk Boost KS2"
        )
        if target is Target.INTERVENTION:
            intervention = place.group.intervention
            return Built({"intervention_id": intervention.id}, [], [intervention.name])
        if target is Target.INTERVENTION_GROUP:
            return Built({"group_id": place.group.id}, [], [place.group.name])
        return Built({"place_id": place.id}, [], names)
    if target is Target.PUPIL_WITHOUT_PLAN:
        leo = riverside_pupil("Fraser")
        return Built({"child_id": leo.id}, [], [leo.display_name])
    if target is Target.PASSPORT_VERSION:
        kwargs["number"] = "1"
    elif target is Target.PASSPORT_PHOTO:
        helen = User.objects.get(email="helen.price@riverside.example")
        version = passport_factories.write(helen, freddie, photo=passport_factories.image_bytes())
        kwargs["number"] = str(version.number)
    elif target in (Target.PLAN_TARGET, Target.PLAN_CYCLE):
        cycle = PlanCycle.objects.filter(plan__child=freddie).order_by("-number").first()
        assert cycle is not None
        if target is Target.PLAN_CYCLE:
            kwargs["cycle_id"] = cycle.id
        else:
            first_target = cycle.targets.order_by("pk").first()
            assert first_target is not None
            kwargs["target_id"] = first_target.id
    elif target is Target.PARENT_ACCESS:
        access = ParentAccess.objects.get(child=freddie, revoked_at__isnull=True)
        kwargs["access_id"] = access.id
    return Built(kwargs, [], names)


def _author_of(case: Case) -> User:
    """Whoever works on the case: its worker, or for a family's own case, a family member."""
    if case.allocated_worker is not None:
        return case.allocated_worker
    return case.organisation.members.order_by("email").first()


def _matrix_content(case: Case) -> ledger_services.NoteContent:
    """A complete visit note: a reopenable CIN visit where the organisation has one."""
    types = ContactType.objects.filter(organisation=case.organisation)
    visit = types.filter(reopenable=True).order_by("position").first()
    return ledger_services.NoteContent(
        occurred_at=timezone.now() - timedelta(hours=3),
        title="Matrix visit",
        body="Seen at home.",
        contact_type=visit or types.get(name="Phone call"),
        visit_statutory=True if visit else None,
        visit_announcement="announced" if visit else "",
        children=[ledger_services.ChildVisit(case.id, True, True)] if visit else [],
    )


def matrix_note(case: Case) -> Entry:
    """A final note on the case; on a council's case, also reported as on the wrong child, so
    that an admin's "move" page exists."""
    found = Entry.objects.filter(case=case, title="Matrix visit", status=EntryStatus.FINAL).first()
    if found is not None:
        return found
    author = _author_of(case)
    draft = ledger_services.start_draft(actor=author, case=case, content=_matrix_content(case))
    entry = ledger_services.finalise_note(actor=author, draft=draft)[0]
    if case.organisation.kind in TEAM_KINDS:
        WrongChildReport.objects.create(entry=entry, reported_by=author, explanation="Matrix")
    return entry


def matrix_draft(case: Case) -> Entry:
    """A draft, ready to finalise, by the case's DRAFT_AUTHOR persona."""
    found = Entry.objects.filter(case=case, title="Matrix visit", status=EntryStatus.DRAFT).first()
    if found is not None:
        return found
    return ledger_services.start_draft(
        actor=_author_of(case), case=case, content=_matrix_content(case)
    )


def matrix_clock(case: Case) -> NextAction:
    """An open statutory deadline the law allows exceptions to: the decision whether to assess
    after an EHC needs assessment request (the family's own case has one in the demo)."""
    clocks = NextAction.objects.filter(
        case=case, status="open", statutory_rule__in=EXCEPTIONS.keys()
    ).order_by("due_on", "pk")
    found = clocks.first()
    if found is not None:
        return found
    record_timeline_event(
        actor=_author_of(case),
        case=case,
        content=EventContent(
            occurred_at=timezone.now() - timedelta(days=3),
            event_type=EventType.EHC_REQUEST,
            details="Matrix request",
        ),
    )
    made = clocks.first()
    assert made is not None and made.exception_kinds, "an EHC request starts no such deadline"
    return made


def matrix_promise(case: Case) -> Entry:
    """A phone call on the case in which someone promised something by a date."""
    found = Entry.objects.filter(case=case, contact_name="Matrix caseworker").first()
    if found is not None:
        return found
    return record_interaction(
        actor=_author_of(case),
        case=case,
        content=InteractionContent(
            occurred_at=timezone.now() - timedelta(hours=3),
            channel=Channel.PHONE_CALL,
            contact_name="Matrix caseworker",
            summary="Matrix call.",
            promise="A letter by next Friday",
            promise_due_on=timezone.localdate() + timedelta(days=7),
            promise_party=Party.LOCAL_AUTHORITY,
        ),
    )


def matrix_document(case: Case) -> Document:
    """A PDF in the evidence vault on the case, stored by someone who works on it."""
    found = Document.objects.filter(case_links__case=case, title="Matrix document").first()
    if found is not None:
        return found
    data = samples.pdf("Matrix document")
    category = DocumentCategory.objects.filter(organisation=case.organisation).first()
    assert category is not None
    return vault_services.store_document(
        actor=_author_of(case),
        source=io.BytesIO(data),
        file_name="matrix.pdf",
        size=len(data),
        details=vault_services.DocumentDetails(
            title="Matrix document", category=category, cases=[case]
        ),
    )


def matrix_action(case: Case) -> NextAction:
    """An open next action on the case, added by someone who works on it."""
    found = NextAction.objects.filter(case=case, description="Matrix action").first()
    if found is not None:
        return found
    return actions_services.add_action(
        actor=_author_of(case),
        case=case,
        details=actions_services.ActionDetails(
            description="Matrix action",
            due_on=timezone.localdate() + timedelta(days=7),
            responsible_party="family",
        ),
    )


def plan_version_kwargs(target: Target, case: Case) -> dict[str, UUID]:
    """An unconfirmed plan version on an EHCP tracking case, added by its family (and, for a
    comparison, the case's confirmed demo draft first); ids that exist nowhere otherwise."""
    if case.case_type != CaseType.EHCP_TRACKING:
        return (
            {"version_id": uuid.uuid4()}
            if target is Target.PLAN_VERSION
            else {"version_id": uuid.uuid4(), "other_id": uuid.uuid4()}
        )
    version = PlanVersion.objects.filter(case=case, confirmed_at__isnull=True).first()
    if version is None:
        version = ehcp_services.add_plan_version(
            actor=_author_of(case),
            case=case,
            kind=PlanKind.FINAL,
            issued_on=timezone.localdate(),
            upload=None,
        )
    if target is Target.PLAN_VERSION:
        return {"version_id": version.id}
    draft = PlanVersion.objects.filter(case=case, confirmed_at__isnull=False).first()
    assert draft is not None, "the demo's EHCP tracking case has a confirmed draft"
    return {"version_id": draft.id, "other_id": version.id}


def plan_flag_kwargs(case: Case) -> dict[str, UUID | str]:
    """The case's confirmed demo draft and its first flag on an EHCP tracking case; ids that
    exist nowhere otherwise."""
    if case.case_type != CaseType.EHCP_TRACKING:
        return {"version_id": uuid.uuid4(), "flag_key": uuid.uuid4().hex}
    draft = PlanVersion.objects.filter(case=case, confirmed_at__isnull=False).first()
    assert draft is not None, "the demo's EHCP tracking case has a confirmed draft"
    flags = ehcp_services.plan_flags(draft)
    assert flags, "the demo's draft plan has flags"
    return {"version_id": draft.id, "flag_key": flags[0].key}


def plan_work_kwargs(target: Target, case: Case) -> dict[str, UUID | str]:
    """The case's confirmed demo draft, its first Section F item or the family's annotation on
    it, on an EHCP tracking case; ids that exist nowhere otherwise."""
    nowhere = uuid.uuid4()
    draft = (
        PlanVersion.objects.filter(case=case, confirmed_at__isnull=False).first()
        if case.case_type == CaseType.EHCP_TRACKING
        else None
    )
    if target is Target.CONFIRMED_PLAN:
        return {"version_id": draft.id if draft else nowhere}
    if target is Target.PROVISION_ITEM:
        if draft is None:
            return {"version_id": nowhere, "section": "F", "item_key": nowhere.hex}
        item = plan_provision(draft, draft.section_texts()).section("F")[0]
        return {"version_id": draft.id, "section": "F", "item_key": item.key}
    annotation = Annotation.objects.filter(version=draft).first() if draft else None
    if draft is not None and annotation is None:
        annotation = add_annotation(
            actor=_author_of(case),
            version=draft,
            content=AnnotationContent(
                section="F", passage="", concern="Matrix", proposed_wording="", status="open"
            ),
        )
    return {"annotation_id": annotation.id if annotation else nowhere}


AUDIT_TARGETS = {Target.AUDIT, Target.AUDIT_ANSWER, Target.AUDIT_ACTION, Target.AUDIT_QUESTION}


def auditor_of(case: Case) -> User | None:
    """Who audits the case: a manager of its team (or, failing that, an admin of its
    organisation); nobody for a family's own case."""
    if case.organisation.kind not in TEAM_KINDS:
        return None
    manager = (
        User.objects.filter(
            team_memberships__team_id=case.allocated_team_id, team_memberships__is_manager=True
        )
        .order_by("email")
        .first()
    )
    if manager is not None:
        return manager
    return (
        User.objects.filter(organisation=case.organisation, role=User.Role.ORGANISATION_ADMIN)
        .order_by("email")
        .first()
    )


def audit_kwargs(target: Target, case: Case) -> dict[str, UUID]:
    """A real audit, answer, action or question on the case where there can be one; an id that
    exists nowhere where there cannot (nobody may open it, which is the matrix's expectation)."""
    auditor = auditor_of(case)
    if target is Target.AUDIT_QUESTION:
        question = AuditQuestion.objects.filter(organisation=case.organisation).first()
        if question is None and auditor is not None:
            admin = User.objects.filter(
                organisation=case.organisation, role=User.Role.ORGANISATION_ADMIN
            ).first()
            if admin is not None:
                case_audit_services.ensure_checklist(actor=admin, organisation=case.organisation)
                question = AuditQuestion.objects.filter(organisation=case.organisation).first()
        return {"question_id": question.id if question is not None else uuid.uuid4()}
    if auditor is None:
        nowhere = uuid.uuid4()
        if target is Target.AUDIT_ACTION:
            return {"action_id": nowhere}
        if target is Target.AUDIT_ANSWER:
            return {"audit_id": nowhere, "question_id": nowhere}
        return {"audit_id": nowhere}
    if target is Target.AUDIT_ACTION:
        action = AuditAction.objects.filter(
            audit__case=case, audit__completed_at__isnull=False, completed_at__isnull=True
        ).first()
        if action is None:
            worker = case.allocated_worker
            assert worker is not None, "the matrix's council cases have a worker"
            # The audit under way (the demo has one), or a new one: completed with the action.
            audit = CaseAudit.objects.filter(
                case=case, completed_at__isnull=True
            ).first() or audit_factories.start_audit(auditor, case)
            audit_factories.grade_all(auditor, audit)
            action = audit_factories.add_action(auditor, audit, worker)
            case_audit_services.complete_audit(
                actor=auditor, audit=audit, overall_grade="good", summary="Matrix audit"
            )
        return {"action_id": action.id}
    audit = CaseAudit.objects.filter(case=case, completed_at__isnull=True).first()
    if audit is None:
        audit = audit_factories.start_audit(auditor, case)
    if target is Target.AUDIT_ANSWER:
        answer = audit.answers.order_by("position").first()
        assert answer is not None
        return {"audit_id": audit.id, "question_id": answer.question_id}
    return {"audit_id": audit.id}


@dataclass
class Built:
    kwargs: Mapping[str, UUID | str]  # a calendar's token and a flag's key are strings
    cases: list[Case]  # every case the URL points into (one, or two for a foreign variant)
    names: list[str]  # names of related people the URL points at


def build(target: Target, case: Case | None, partner: Case | None) -> Built:
    """URL kwargs for a target case; `partner` is the case a foreign related row comes from."""
    if target is Target.TEAM:
        assert case is not None
        return Built({"team_id": case.allocated_team_id or uuid.uuid4()}, [case], [])
    if target in AUDIT_TARGETS:
        assert case is not None
        return Built(audit_kwargs(target, case), [case], [])
    if target is Target.NOTHING:
        return Built({}, [], [])
    if target is Target.FAMILY_GRANT:
        grant = matrix_family_grant()
        return Built({"grant_id": grant.id}, [], [grant.grantee.full_name])
    if target in PUPIL_TARGETS:
        return pupil_kwargs(target)
    if target is Target.CALENDAR:
        owner = User.objects.get(email="amira.khan@northmoor.example")
        return Built({"token": make_feed(actor=owner)}, [], [])
    assert case is not None
    if target is Target.CASE:
        return Built({"case_id": case.id}, [case], [])
    if target in (Target.PLAN_VERSION, Target.PLAN_VERSIONS):
        return Built(plan_version_kwargs(target, case), [case], [])
    if target is Target.PLAN_FLAG:
        return Built(plan_flag_kwargs(case), [case], [])
    if target in (Target.CONFIRMED_PLAN, Target.PROVISION_ITEM, Target.ANNOTATION):
        return Built(plan_work_kwargs(target, case), [case], [])
    if target is Target.CHILD:
        return Built({"child_id": case.child_id}, [case], [])
    if target is Target.NOTE:
        return Built({"entry_id": matrix_note(case).id}, [case], [])
    if target is Target.DRAFT:
        return Built({"entry_id": matrix_draft(case).id}, [case], [])
    if target is Target.ACTION:
        return Built({"action_id": matrix_action(case).id}, [case], [])
    if target is Target.CLOCK:
        return Built({"action_id": matrix_clock(case).id}, [case], [])
    if target is Target.PROMISE:
        return Built({"entry_id": matrix_promise(case).id}, [case], [])
    if target is Target.DOCUMENT:
        return Built({"document_id": matrix_document(case).id}, [case], [])
    if target is Target.CONTACT_TYPE:
        contact_type = ContactType.objects.filter(organisation=case.organisation).first()
        assert contact_type is not None
        return Built({"contact_type_id": contact_type.id}, [case], [contact_type.name])
    if target is Target.CATEGORY:
        category = DocumentCategory.objects.filter(organisation=case.organisation).first()
        assert category is not None
        return Built({"category_id": category.id}, [case], [category.name])
    if target is Target.TAG:
        tag = Tag.objects.filter(organisation=case.organisation).first()
        assert tag is not None
        return Built({"tag_id": tag.id}, [case], [tag.name])
    source = partner or case
    cases = [case] + ([partner] if partner else [])
    if target is Target.ADULT:
        adult = adult_of(source.child)
        return Built({"child_id": case.child_id, "adult_id": adult.id}, cases, [adult.full_name])
    if target is Target.PROFESSIONAL:
        pro = professional_of(source.child)
        return Built({"child_id": case.child_id, "professional_id": pro.id}, cases, [pro.full_name])
    grant = live_grant_on(source)
    return Built({"case_id": case.id, "grant_id": grant.id}, cases, [])


# --- Helpers -------------------------------------------------------------------------------------


ClientFor = Callable[[User | None], Client]


@pytest.fixture(scope="module")
def client_as() -> ClientFor:
    """Clients that share one request handler. Each new handler loads the middleware again,
    and WhiteNoise's scans every static file: that, not the views, would be the matrix's
    running time."""
    handler = Client().handler

    def make(user: User | None) -> Client:
        client = Client()
        client.handler = handler
        if user is not None:
            client.force_login(user)
        return client

    return make


def persona_user(request: pytest.FixtureRequest, persona: str) -> User | None:
    return None if persona == "anonymous" else request.getfixturevalue(persona)


def markers_of(case: Case) -> list[str]:
    """What must never appear on a page the user may not see: who the child is, which case."""
    return [case.child.last_name, case.child.first_names, case.reference]


# Councils and schools work in teams, and so allocate; families and advocates do not.
TEAM_KINDS = {Organisation.Kind.LOCAL_AUTHORITY, Organisation.Kind.SCHOOL}


def rule_levels(user: User | None) -> dict[UUID, Level]:
    """The rules of PRODUCT.md written out afresh, independent of caseledger.*.access: what
    this user may do with every case in the database."""
    cases = list(Case.objects.select_related("organisation"))
    if user is None or not user.is_active:
        return {case.id: NONE for case in cases}
    today = timezone.localdate()
    managed = set(
        TeamMembership.objects.filter(user=user, is_manager=True).values_list("team_id", flat=True)
    )
    granted = {
        grant.case_id
        for grant in AccessGrant.objects.filter(grantee=user, revoked_at__isnull=True)
        if grant.expires_on is None or grant.expires_on >= today
    }
    # Issue 7: a family's grant shows one of its children's cases, or (no child) every case
    # the family holds, for any child, now and later.
    family_grants = [
        grant
        for grant in FamilyGrant.objects.filter(grantee=user, revoked_at__isnull=True)
        if grant.expires_on is None or grant.expires_on >= today
    ]
    every_child_of = {grant.organisation_id for grant in family_grants if grant.child_id is None}
    children = {grant.child_id for grant in family_grants if grant.child_id is not None}
    in_a_family = user.organisation is not None and (
        user.organisation.kind == Organisation.Kind.FAMILY
    )
    levels: dict[UUID, Level] = {}
    for case in cases:
        own = user.organisation_id is not None and case.organisation_id == user.organisation_id
        admin = own and user.role == User.Role.ORGANISATION_ADMIN
        manages_team = own and case.allocated_team_id in managed
        allocated = own and user.id in {case.allocated_worker_id, case.allocated_manager_id}
        if own and case.organisation.kind in TEAM_KINDS and (admin or manages_team):
            levels[case.id] = ALLOCATE
        elif admin or manages_team or allocated or (own and in_a_family):
            levels[case.id] = WORK
        elif (
            case.id in granted
            or case.organisation_id in every_child_of
            or case.child_id in children
        ):
            levels[case.id] = SEE
        else:
            levels[case.id] = NONE
    return levels


def hidden_references(user: User | None) -> list[str]:
    """References of every case this user may not open, by the rules, not by the code."""
    levels = rule_levels(user)
    return [case.reference for case in Case.objects.all() if levels[case.id] == NONE]


def check_response(
    response: Any, expect: Expect, *, where: str, secret: list[str], shown: list[str]
) -> str:
    # A document's file is streamed: its bytes, read the same way.
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    body = raw.decode(errors="replace")
    assert response.status_code == expect.status, (
        f"{where}: expected {expect.status}, got {response.status_code}"
    )
    if expect.location is not None:
        assert response["Location"].startswith(expect.location), (
            f"{where}: redirected to {response['Location']}, expected {expect.location}"
        )
    if not expect.permitted:
        for marker in secret:
            assert marker not in body, f"{where}: a {expect.status} response names {marker!r}"
    for marker in shown:
        assert marker in body, f"{where}: a permitted page does not name {marker!r}"
    return body


# --- The route table matches the URLconf ------------------------------------------------------


def resolved_route_names() -> set[str]:
    """Every URL pattern's name, with its namespaces ("cases:case-detail"), recursively."""
    names: set[str] = set()

    def walk(patterns: list[URLPattern | URLResolver], prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
                walk(pattern.url_patterns, namespace)
            elif pattern.name:
                names.add(prefix + pattern.name)
            else:  # a view nobody can name cannot have a row in the matrix
                names.add(f"<unnamed {prefix}{pattern.pattern}>")

    walk(get_resolver().url_patterns, "")
    return names


def test_every_route_has_a_row_in_the_matrix() -> None:
    missing = resolved_route_names() - ROUTES.keys()
    assert not missing, f"routes with no row in ROUTES (add one; it is the policy): {missing}"


def test_the_matrix_has_no_rows_for_routes_that_are_gone() -> None:
    stale = ROUTES.keys() - resolved_route_names()
    assert not stale, f"rows in ROUTES for routes that no longer exist: {stale}"


def test_the_policy_table_follows_the_written_rules(request: pytest.FixtureRequest) -> None:
    """ACCESS is typed by hand; check it against the rules, and that its children are simple."""
    for case_key in CASES:
        case = request.getfixturevalue(case_key)
        assert case.child.cases.count() == 1, f"{case_key}: the child has other cases"
        for persona in PERSONAS:
            level = rule_levels(persona_user(request, persona))[case.id]
            assert level == ACCESS[persona].get(case_key, NONE), (
                f"ACCESS[{persona!r}][{case_key!r}] disagrees with the rules"
            )


def test_the_ehcp_cases_are_the_ehcp_tracking_cases(request: pytest.FixtureRequest) -> None:
    """EHCP_CASES is typed by hand too; check it against the cases' types."""
    for case_key in CASES:
        case = request.getfixturevalue(case_key)
        assert (case.case_type == CaseType.EHCP_TRACKING) == (case_key in EHCP_CASES), case_key


def test_the_organisation_admins_are_the_personas_with_that_role(
    request: pytest.FixtureRequest,
) -> None:
    """ORGANISATION_ADMINS is typed by hand too; check it against the users' roles."""
    for persona in PERSONAS:
        user = persona_user(request, persona)
        is_admin = user is not None and user.is_organisation_admin
        assert is_admin == (persona in ORGANISATION_ADMINS), persona


def test_the_school_staff_are_the_personas_in_a_school(request: pytest.FixtureRequest) -> None:
    """SCHOOL_STAFF and SEN_REGISTER_KEEPERS are typed by hand too; check them against the
    users' organisations and roles."""
    for persona in PERSONAS:
        user = persona_user(request, persona)
        in_school = (
            user is not None
            and user.organisation is not None
            and user.organisation.kind == Organisation.Kind.SCHOOL
        )
        assert in_school == (persona in SCHOOL_STAFF), persona
        keeps = in_school and user is not None and user.role in {"senco", "organisation_admin"}
        assert keeps == (persona in SEN_REGISTER_KEEPERS), persona


def test_the_pupil_readers_are_the_personas_who_see_freddies_school_records(
    request: pytest.FixtureRequest,
) -> None:
    """PUPIL_READERS, PUPIL_STAFF and PUPIL_PARENTS are typed by hand too; check them against
    the school's own rules for Riverside's Freddie Morgan."""
    freddie = riverside_pupil("Morgan")
    for persona in PERSONAS:
        user = persona_user(request, persona)
        staff = user is not None and pupils_seen_by_staff(user).filter(pk=freddie.pk).exists()
        parent = user is not None and pupils_shared_with_parent(user).filter(pk=freddie.pk).exists()
        assert staff == (persona in PUPIL_STAFF), persona
        assert parent == (persona in PUPIL_PARENTS), persona
        assert (staff or parent) == (persona in PUPIL_READERS), persona


def test_the_team_managers_are_the_personas_who_manage_a_team(
    request: pytest.FixtureRequest,
) -> None:
    for persona in PERSONAS:
        user = persona_user(request, persona)
        manages = user is not None and bool(user.managed_team_ids)
        assert manages == (persona in TEAM_MANAGERS), persona


def test_matrix_size() -> None:
    nested_targets = {Target.ADULT, Target.PROFESSIONAL, Target.GRANT}
    nested = sum(1 for route in ROUTES.values() if route.target in nested_targets)
    flat = sum(1 for route in ROUTES.values() if route.target in FLAT_TARGETS)
    loose = sum(1 for route in ROUTES.values() if route.target in LOOSE_TARGETS)
    per_persona = loose + flat * len(CASES) + nested * len(CASES) * 2
    assert len(CELLS) == per_persona * len(PERSONAS)
    requests = sum(1 + (expected(cell)[1] is not None) for cell in CELLS)
    logging.getLogger(__name__).info(
        "access matrix: %d cells (%d routes x %d personas x targets), %d requests",
        len(CELLS),
        len(ROUTES),
        len(PERSONAS),
        requests,
    )


# --- The matrix ------------------------------------------------------------------------------


@pytest.mark.parametrize("cell", CELLS, ids=str)
def test_access_matrix(cell: Cell, request: pytest.FixtureRequest, client_as: ClientFor) -> None:
    route = ROUTES[cell.route]
    user = persona_user(request, cell.persona)
    case = request.getfixturevalue(cell.case) if cell.case else None
    partner = request.getfixturevalue(PARTNER[cell.case]) if cell.case and cell.foreign else None
    built = build(route.target, case, partner)
    url = reverse(cell.route, kwargs={**built.kwargs, **dict(route.fixed)})
    get_expect, post_expect = expected(cell)

    secret = [marker for target in built.cases for marker in markers_of(target)] + built.names
    shown: list[str] = []
    if route.target in PUPIL_TARGETS and get_expect.permitted and route.shows_name:
        shown += built.names
    if case is not None and get_expect.permitted:
        shown += [case.child.display_name] if route.shows_name else []
        shown += [case.reference] if route.shows_reference else []

    client = client_as(user)
    hidden = hidden_references(user)

    body = check_response(
        client.get(url), get_expect, where=f"GET {url}", secret=secret, shown=shown
    )
    if get_expect.status == 200:
        leaked = [reference for reference in hidden if reference in body]
        assert not leaked, f"GET {url} names cases the user may not open: {leaked}"

    if post_expect is None:
        return
    grant: AccessGrant | FamilyGrant | None = None
    if route.target is Target.GRANT:
        grant = AccessGrant.objects.get(pk=built.kwargs["grant_id"])
    elif route.target is Target.FAMILY_GRANT:
        grant = FamilyGrant.objects.get(pk=built.kwargs["grant_id"])
    acted = route.post is Post.ACTS and post_expect.status == 302 and cell.persona != "anonymous"
    if acted:
        assert case is not None
        post_expect = Expect(302, reverse(route.acted_page, kwargs={"case_id": case.id}))
    events = AuditEvent.objects.count()
    body = check_response(
        client.post(url, BLANK_FORM), post_expect, where=f"POST {url}", secret=secret, shown=[]
    )
    if post_expect.status in {400, 404}:
        assert AuditEvent.objects.count() == events, f"POST {url} changed something"
    if acted:
        assert AuditEvent.objects.count() > events, f"POST {url} did nothing"
    if post_expect.status == 400:
        leaked = [reference for reference in hidden if reference in body]
        assert not leaked, f"POST {url} names cases the user may not open: {leaked}"
    if grant is not None:
        grant.refresh_from_db()
        assert grant.is_live(), f"POST {url} revoked a grant"


# --- Revoking a grant for real ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "case_key", "grantee"),
    [
        ("worker", "freddie_la_case", "parent"),
        ("org_admin", "freddie_la_case", "parent"),
        ("manager", "freddie_la_case", "parent"),
        ("parent", "freddie_family_case", "advocate"),
    ],
)
def test_revoking_a_grant_takes_the_case_away_at_once(
    persona: str,
    case_key: str,
    grantee: str,
    request: pytest.FixtureRequest,
    client_as: ClientFor,
) -> None:
    case: Case = request.getfixturevalue(case_key)
    holder: User = request.getfixturevalue(grantee)
    grant = case.grants.get(grantee=holder, revoked_at__isnull=True)
    reader = client_as(holder)
    assert reader.get(f"/cases/{case.id}/").status_code == 200

    actor = client_as(request.getfixturevalue(persona))
    url = reverse("cases:grant-revoke", kwargs={"case_id": case.id, "grant_id": grant.id})
    response = actor.post(url)
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.id}/"
    grant.refresh_from_db()
    assert grant.revoked_at is not None

    for page in (f"/cases/{case.id}/", f"/children/{case.child_id}/"):
        response = reader.get(page)
        assert response.status_code == 404, page
        assert case.reference not in response.content.decode()
    assert case.reference not in reader.get("/").content.decode()
    # Once revoked, the grant is gone for its revoker too: a second revoke is a 404.
    assert actor.post(url).status_code == 404


@pytest.mark.parametrize(
    ("persona", "case_key"),
    [
        ("parent", "freddie_la_case"),  # the grantee cannot revoke (nor manage) their own grant
        ("advocate", "freddie_family_case"),
        ("colleague", "freddie_la_case"),
        ("other_team_manager", "freddie_la_case"),
        ("outsider", "freddie_la_case"),
        ("worker", "freddie_family_case"),
        ("org_admin", "freddie_family_case"),
        ("other_parent", "freddie_family_case"),
    ],
)
def test_a_forbidden_revoke_is_a_404_and_the_grant_stays_live(
    persona: str, case_key: str, request: pytest.FixtureRequest, client_as: ClientFor
) -> None:
    case: Case = request.getfixturevalue(case_key)
    grant = case.grants.get(revoked_at__isnull=True)
    client = client_as(request.getfixturevalue(persona))
    url = reverse("cases:grant-revoke", kwargs={"case_id": case.id, "grant_id": grant.id})
    response = client.post(url)
    assert response.status_code == 404
    assert case.reference not in response.content.decode()
    grant.refresh_from_db()
    assert grant.is_live()
    reader = client_as(grant.grantee)
    assert reader.get(f"/cases/{case.id}/").status_code == 200


def test_an_expired_grant_gives_a_404(
    parent: User, freddie_la_case: Case, client_as: ClientFor
) -> None:
    client = client_as(parent)
    assert client.get(f"/cases/{freddie_la_case.id}/").status_code == 200
    freddie_la_case.grants.filter(grantee=parent).update(
        expires_on=timezone.localdate() - timedelta(days=1)
    )
    for page in (f"/cases/{freddie_la_case.id}/", f"/children/{freddie_la_case.child_id}/"):
        response = client.get(page)
        assert response.status_code == 404, page
        assert freddie_la_case.reference not in response.content.decode()
    assert freddie_la_case.reference not in client.get("/").content.decode()


# --- A family's grants to an advocate (issue 7) -----------------------------------------------


def _agrees_with_the_rules(user: User) -> set[UUID]:
    """access_case, cases_visible_to and the written rules agree on every case; returns the
    cases the user sees. A grant is read-only, so nothing granted is workable."""
    visible = set(cases_visible_to(user).values_list("id", flat=True))
    workable = set(cases_workable_by(user).values_list("id", flat=True))
    levels = rule_levels(user)
    for case in Case.objects.all():
        try:
            opened = access_case(user, case.id).id == case.id
        except Http404:
            opened = False
        assert opened == (case.id in visible) == (levels[case.id] >= SEE), case.reference
        assert (case.id in workable) == (levels[case.id] >= WORK), case.reference
    return visible


def test_family_grants_follow_the_written_rules(
    parent: User, other_parent: User, advocate: User, freddie_family_case: Case
) -> None:
    """Ruth holds the demo's grant on Freddie's case; the Patels share all their children with
    her and the Morgans share Poppy: she sees exactly those cases, read-only, and after both
    are revoked, only Freddie's again."""
    before = _agrees_with_the_rules(advocate)
    assert before == {freddie_family_case.id}
    poppy = Child.objects.get(first_names="Poppy", organisation__reference_prefix="MORGAN")
    assert parent.organisation is not None and other_parent.organisation is not None
    all_patels = cases_services.grant_family_access(
        actor=other_parent,
        organisation=other_parent.organisation,
        grantee_email=advocate.email,
        child=None,
        expires_on=None,
    )
    just_poppy = cases_services.grant_family_access(
        actor=parent,
        organisation=parent.organisation,
        grantee_email=advocate.email,
        child=poppy,
        expires_on=None,
    )
    shared = _agrees_with_the_rules(advocate)
    expected_cases = Case.objects.filter(
        organisation=other_parent.organisation
    ) | Case.objects.filter(child=poppy)
    assert shared == before | set(expected_cases.values_list("id", flat=True))
    for grant in (all_patels, just_poppy):
        cases_services.revoke_family_access(actor=grant.granted_by, grant=grant)
    assert _agrees_with_the_rules(advocate) == before


def test_revoking_a_family_grant_takes_the_cases_away_at_once(
    parent: User, advocate: User, client_as: ClientFor
) -> None:
    poppy_case = Case.objects.get(child__first_names="Poppy", organisation=parent.organisation)
    actor = client_as(parent)
    response = actor.post(
        reverse("cases:sharing"),
        {"email": advocate.email, "child": "all", **BLANK_FORM},
    )
    assert response.status_code == 302
    grant = FamilyGrant.objects.get(grantee=advocate, revoked_at__isnull=True)
    reader = client_as(advocate)
    pages = (f"/cases/{poppy_case.id}/", f"/children/{poppy_case.child_id}/")
    for page in pages:
        assert reader.get(page).status_code == 200, page

    url = reverse("cases:sharing-revoke", kwargs={"grant_id": grant.id})
    response = actor.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:sharing")
    for page in pages:
        response = reader.get(page)
        assert response.status_code == 404, page
        assert poppy_case.reference not in response.content.decode()
    assert poppy_case.reference not in reader.get("/?show=shared").content.decode()
    assert actor.post(url).status_code == 404


# --- The caseload never lists a case its reader cannot open ----------------------------------

TAB = re.compile(r'href="\?show=([\w-]+)"')
COUNT = re.compile(r'data-count="([\w-]+)">(\d+)<')
ROW = re.compile(r'href="/cases/([0-9a-f-]{36})/">([A-Z]+-\d+)</a>')
CHILD_LINK = re.compile(r'href="/children/([0-9a-f-]{36})/"')
NEXT = re.compile(r'href="\?show=[\w-]+&amp;after=([^"]+)" rel="next"')


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "anonymous"])
def test_caseload_lists_and_counts_only_cases_the_reader_can_open(
    persona: str, request: pytest.FixtureRequest, client_as: ClientFor
) -> None:
    user: User = request.getfixturevalue(persona)
    client = client_as(user)
    front = client.get(HOME)
    assert front.status_code == 200
    front_body = front.content.decode()
    tabs = TAB.findall(front_body)
    counts = dict(COUNT.findall(front_body))
    assert set(tabs) == set(counts), "every tab shows a count"

    open_visible = cases_visible_to(user).filter(status="open")
    allowed_ids = {str(pk) for pk in open_visible.values_list("id", flat=True)}
    levels = rule_levels(user)
    by_rule = {
        str(case.id) for case in Case.objects.filter(status="open") if levels[case.id] > NONE
    }
    assert allowed_ids == by_rule, "cases_visible_to disagrees with the rules"

    for key in tabs:
        listed: list[tuple[str, str]] = []
        url: str | None = f"{HOME}?show={key}"
        while url is not None:
            body = client.get(url).content.decode()
            assert f'data-count="{key}">{counts[key]}<' in body, f"{key}: the count changed"
            listed += ROW.findall(body)
            for child_id in CHILD_LINK.findall(body):
                access_child(user, UUID(child_id))  # a 404 here fails the test
            after = NEXT.search(body)
            url = f"{HOME}?show={key}&after={after.group(1)}" if after else None
        for case_id, reference in listed:
            try:
                case = access_case(user, UUID(case_id))
            except Http404:
                pytest.fail(f"{persona}'s {key!r} tab lists {reference}, which is a 404 for them")
            assert case.reference == reference
            assert case_id in allowed_ids, f"{key}: lists {reference}, which is not open"
        assert len(listed) == len(set(listed)), f"{key}: a case is listed twice"
        count = int(counts[key])
        assert count == len(listed), f"{key}: the count {count} is not the {len(listed)} listed"
        assert count <= len(allowed_ids), f"{key}: counts {count} > {len(allowed_ids)} visible"


# --- One definition of access: the page and the list never disagree --------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_access_case_and_cases_visible_to_agree_on_every_case(
    persona: str, request: pytest.FixtureRequest
) -> None:
    user = persona_user(request, persona)
    reader: Any = user if user is not None else AnonymousUser()
    visible = set(cases_visible_to(reader).values_list("id", flat=True))
    workable = set(cases_workable_by(reader).values_list("id", flat=True))
    assert workable <= visible, "someone may change a case they cannot see"
    levels = rule_levels(user)
    cases = list(Case.objects.all())
    assert len(cases) >= len(CASES)
    for case in cases:
        try:
            opened = access_case(reader, case.id).id == case.id
        except Http404:
            opened = False
        assert opened == (case.id in visible), (
            f"{persona}: access_case says {opened} for {case.reference}, "
            f"cases_visible_to says {case.id in visible}"
        )
        level = levels[case.id]
        assert (case.id in visible) == (level >= SEE), f"{persona}: {case.reference} visibility"
        assert (case.id in workable) == (level >= WORK), f"{persona}: {case.reference} work"
