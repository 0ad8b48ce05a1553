"""Writes on partners: users, organisations and the covenant. Only administrators (capability
partners.manage); every write is atomic and audited under the purpose "beheer"."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import devices_for_user

from doorbraak import policy
from doorbraak.audit import services as audit
from doorbraak.audit.models import AuditAction
from doorbraak.policy import Capability as C

from .models import Covenant, CovenantGrant, DataCategory, Organisation, Purpose, User

P = policy.PURPOSE_MANAGEMENT
USER_FIELDS = ["username", "first_name", "last_name", "email", "organisation", "role"]
ORGANISATION_FIELDS = ["code", "name", "kind", "parent", "active"]


def _require(actor, object_type: str, object_id: object = "") -> None:
    policy.require(actor, C.PARTNERS_MANAGE, object_type=object_type, object_id=object_id)


def _changed(obj, values: dict) -> list[str]:
    return sorted(k for k, v in values.items() if getattr(obj, k) != v)


def _log(actor, action, object_type, obj, **detail):
    audit.record(
        action, user=actor, purpose=P, object_type=object_type, object_id=obj.pk, detail=detail
    )


# --- users -----------------------------------------------------------------------------


def do_create_user(actor, *, password: str, **values) -> User:
    _require(actor, "user")
    user = User(**values)
    errors = {}
    try:
        validate_password(password, user)
    except ValidationError as exc:
        errors["password"] = exc.messages
    if User.objects.filter(username__iexact=values["username"]).exists():
        errors["username"] = [_("Deze gebruikersnaam bestaat al.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # the Django admin stays for administrators only
        user.is_staff = policy.works_in_django_admin(user.role)
        user.set_password(password)
        user.save()
        _log(
            actor,
            AuditAction.CREATE,
            "user",
            user,
            username=user.username,
            role=user.role,
            organisation=user.organisation.code if user.organisation else "",
        )
    return user


def do_update_user(actor, pk: int, **values) -> User:
    _require(actor, "user", pk)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=pk)
        if User.objects.filter(username__iexact=values["username"]).exclude(pk=pk).exists():
            raise ValidationError({"username": _("Deze gebruikersnaam bestaat al.")})
        if user.pk == actor.pk and not policy.role_has(values.get("role"), C.PARTNERS_MANAGE):
            raise ValidationError({"role": _("U kunt uw eigen beheerdersrol niet afnemen.")})
        changed = _changed(user, values)
        if not changed:
            return user
        for k, v in values.items():
            setattr(user, k, v)
        user.is_staff = policy.works_in_django_admin(user.role)
        user.save()
        _log(actor, AuditAction.UPDATE, "user", user, changed=changed)
    return user


def _end_sessions(user) -> int:
    """Log the user out everywhere (database sessions)."""
    ended = 0
    for session in Session.objects.filter(expire_date__gte=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()
            ended += 1
    return ended


def do_set_active(actor, pk: int, active: bool) -> User:
    """Deactivate (or reactivate) an account. A deactivated user cannot log in and is logged out;
    the account stays, so the audit log keeps naming a known user."""
    _require(actor, "user", pk)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=pk)
        if user.pk == actor.pk and not active:
            raise ValidationError(_("U kunt uw eigen account niet deactiveren."))
        if user.is_active == active:
            return user
        user.is_active = active
        user.save(update_fields=["is_active"])
        ended = _end_sessions(user) if not active else 0
        _log(
            actor,
            AuditAction.UPDATE,
            "user",
            user,
            changed=["is_active"],
            is_active=active,
            sessions_ended=ended,
        )
    return user


def do_reset_second_factor(actor, pk: int) -> User:
    """Remove the user's authenticator devices and end their sessions: at the next login with
    their password they set up a new second factor."""
    _require(actor, "user", pk)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=pk)
        devices = list(devices_for_user(user, confirmed=None))
        for device in devices:
            device.delete()
        ended = _end_sessions(user)
        _log(
            actor,
            AuditAction.UPDATE,
            "user",
            user,
            changed=["second_factor"],
            devices_removed=len(devices),
            sessions_ended=ended,
        )
    return user


# --- organisations -----------------------------------------------------------------------


def _check_parent(org_pk, parent) -> None:
    seen = set()
    while parent is not None:
        if parent.pk == org_pk or parent.pk in seen:
            raise ValidationError(
                {"parent": _("Een organisatie kan geen onderdeel van zichzelf zijn.")}
            )
        seen.add(parent.pk)
        parent = parent.parent


def do_save_organisation(actor, pk: int | None, **values) -> Organisation:
    _require(actor, "organisation", pk or "")
    with transaction.atomic():
        clash = Organisation.objects.filter(code=values["code"])
        if pk:
            clash = clash.exclude(pk=pk)
        if clash.exists():
            raise ValidationError({"code": _("Deze code is al in gebruik.")})
        if pk is None:
            org = Organisation.objects.create(**values)
            _log(actor, AuditAction.CREATE, "organisation", org, code=org.code)
            return org
        org = Organisation.objects.select_for_update().get(pk=pk)
        _check_parent(org.pk, values.get("parent"))
        changed = _changed(org, values)
        if changed:
            for k, v in values.items():
                setattr(org, k, v)
            org.save()
            _log(actor, AuditAction.UPDATE, "organisation", org, changed=changed)
        return org


# --- covenant ----------------------------------------------------------------------------

COVENANT_FIELDS = ["title", "reference", "legal_basis", "valid_from", "valid_until"]


def do_save_covenant(actor, pk: int | None, **values) -> Covenant:
    _require(actor, "covenant", pk or "")
    with transaction.atomic():
        if pk is None:
            covenant = Covenant.objects.create(**values)
            _log(actor, AuditAction.CREATE, "covenant", covenant, title=covenant.title)
            return covenant
        covenant = Covenant.objects.select_for_update().get(pk=pk)
        changed = _changed(covenant, values)
        if changed:
            for k, v in values.items():
                setattr(covenant, k, v)
            covenant.save()
            _log(actor, AuditAction.UPDATE, "covenant", covenant, changed=changed)
        return covenant


def do_set_grants(
    actor, covenant_pk: int, organisation_pk: int, grants: set[tuple[str, int]]
) -> dict:
    """Make the covenant's lines for one organisation exactly ``grants`` ({(data category, purpose
    id)}): add what is new, remove what is gone; one audit entry per line added or removed."""
    _require(actor, "covenant_grant", f"{covenant_pk}/{organisation_pk}")
    covenant = Covenant.objects.get(pk=covenant_pk)
    organisation = Organisation.objects.get(pk=organisation_pk)
    purposes = {p.pk: p for p in Purpose.objects.all()}
    bad = [(c, p) for c, p in grants if c not in DataCategory.values or p not in purposes]
    if bad:
        raise ValidationError(_("Onbekende gegevenscategorie of doel."))
    with transaction.atomic():
        current = {
            (g.data_category, g.purpose_id): g
            for g in CovenantGrant.objects.select_for_update().filter(
                covenant=covenant, organisation=organisation
            )
        }
        added, removed = sorted(grants - current.keys()), sorted(current.keys() - grants)
        for category, purpose_id in added:
            grant = CovenantGrant.objects.create(
                covenant=covenant,
                organisation=organisation,
                data_category=category,
                purpose=purposes[purpose_id],
            )
            _log(
                actor,
                AuditAction.CREATE,
                "covenant_grant",
                grant,
                covenant=covenant.pk,
                organisation=organisation.code,
                category=category,
                grant_purpose=purposes[purpose_id].code,
            )
        for key in removed:
            grant = current[key]
            _log(
                actor,
                AuditAction.DELETE,
                "covenant_grant",
                grant,
                covenant=covenant.pk,
                organisation=organisation.code,
                category=key[0],
                grant_purpose=purposes[key[1]].code,
            )
            grant.delete()
    return {"added": len(added), "removed": len(removed)}
