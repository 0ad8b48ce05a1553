"""The door to data subjects for the privacy officer's subject-access requests (AVG art. 15).

The privacy app itself knows no other app: subjects come from the registered subject source
(`subject_access.get_subject`). The privacy officer (`privacy.manage`) finds and opens a subject;
both are audited under the purpose of the request."""

from __future__ import annotations

from django.http import Http404

from doorbraak import policy
from doorbraak.audit import services as audit
from doorbraak.audit.models import AuditAction
from doorbraak.partners.models import DataCategory
from doorbraak.policy import Capability as C

from . import subject_access


def _require(user, pk="") -> None:
    if not policy.has(user, C.PRIVACY_MANAGE):
        policy.deny(
            user,
            f"missing capability {C.PRIVACY_MANAGE}",
            object_type="person",
            object_id=pk,
            purpose=policy.purpose_for(user, "subject_access"),
        )


def find_subjects_for_user(user, query: str) -> list:
    """Subjects matching a name, BSN or pseudonym; the found list is one audited read."""
    _require(user)
    results = subject_access.find_subjects(query) if len(query.strip()) >= 2 else []
    policy.audit_list_read(
        user,
        "person",
        [p.pk for p in results],
        policy.purpose_for(user, "privacy"),
        [DataCategory.IDENTITY],
    )
    return results


def get_subject_for_user(user, pk):
    """One data subject, to confirm an export for; audited as a read of identity data."""
    _require(user, pk)
    subject = subject_access.get_subject(pk)
    if subject is None:
        raise Http404
    audit.record(
        AuditAction.READ,
        user=user,
        purpose=policy.purpose_for(user, "subject_access"),
        object_type="person",
        object_id=subject.pk,
        categories=[DataCategory.IDENTITY],
        detail={"kind": "AVG art. 15"},
    )
    return subject
