"""Organisations, teams and the people who sign in.

An organisation (council, school, family, advocacy service) owns its records; a user belongs
to exactly one organisation and has one role in it. Teams exist inside councils and schools.
"""

from __future__ import annotations

import uuid
from functools import cached_property
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone


class Organisation(models.Model):
    class Kind(models.TextChoices):
        LOCAL_AUTHORITY = "local_authority", "Local authority"
        SCHOOL = "school", "School"
        FAMILY = "family", "Family"
        ADVOCACY = "advocacy", "Advocacy service"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # Prefix of case references ("NMB-000123"); each organisation numbers its own cases.
    reference_prefix = models.CharField(max_length=10)
    case_sequence = models.PositiveIntegerField(default=0)
    # Recording rule 2: a case note is finalised within this many working days of the event.
    recording_limit_working_days = models.PositiveSmallIntegerField(default=5)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["reference_prefix"], name="organisation_prefix_unique")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def uses_teams(self) -> bool:
        """Councils and schools allocate work to teams; families and advocates do not."""
        return self.kind in {self.Kind.LOCAL_AUTHORITY, self.Kind.SCHOOL}


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        organisation = fields.get("organisation")
        role = fields.get("role")
        if organisation is not None and role not in ROLES_BY_ORGANISATION_KIND[organisation.kind]:
            # A parent account inside a council would see the council's whole caseload.
            raise ValueError(f"A {organisation.get_kind_display()} has no '{role}' role")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    class Role(models.TextChoices):
        SOCIAL_WORKER = "social_worker", "Social worker"
        EARLY_HELP_WORKER = "early_help_worker", "Early help worker"
        TEAM_MANAGER = "team_manager", "Team manager"
        ORGANISATION_ADMIN = "organisation_admin", "Organisation admin"
        SENCO = "senco", "SENCO"
        TEACHER = "teacher", "Teacher"
        PARENT = "parent", "Parent or carer"
        ADVOCATE = "advocate", "Advocate"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="members", null=True, blank=True
    )
    role = models.CharField(max_length=30, choices=Role.choices)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now, editable=False)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["full_name"]

    class Meta:
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def is_organisation_admin(self) -> bool:
        return self.role == self.Role.ORGANISATION_ADMIN

    @property
    def is_family_member(self) -> bool:
        """A parent or carer in a family organisation (never a parent role anywhere else)."""
        return (
            self.role == self.Role.PARENT
            and self.organisation is not None
            and self.organisation.kind == Organisation.Kind.FAMILY
        )

    @cached_property
    def managed_team_ids(self) -> frozenset[uuid.UUID]:
        """Teams this user manages; cached for one request, as access checks ask repeatedly."""
        return frozenset(
            TeamMembership.objects.filter(user=self, is_manager=True).values_list(
                "team_id", flat=True
            )
        )


# Which roles each kind of organisation has; `UserManager.create_user` refuses any other pairing.
ROLES_BY_ORGANISATION_KIND: dict[str, set[str]] = {
    Organisation.Kind.LOCAL_AUTHORITY: {
        User.Role.SOCIAL_WORKER,
        User.Role.EARLY_HELP_WORKER,
        User.Role.TEAM_MANAGER,
        User.Role.ORGANISATION_ADMIN,
    },
    Organisation.Kind.SCHOOL: {
        User.Role.SENCO,
        User.Role.TEACHER,
        User.Role.TEAM_MANAGER,
        User.Role.ORGANISATION_ADMIN,
    },
    Organisation.Kind.FAMILY: {User.Role.PARENT},
    Organisation.Kind.ADVOCACY: {User.Role.ADVOCATE, User.Role.ORGANISATION_ADMIN},
}


class Team(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=200)
    members = models.ManyToManyField(User, through="TeamMembership", related_name="teams")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="team_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class TeamMembership(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="team_memberships")
    is_manager = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="team_membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.team}"
