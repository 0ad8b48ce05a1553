from django.conf import settings
from django.utils.translation import gettext_noop

from doorbraak import policy
from doorbraak.policy import Capability as C

# Navigation: (url name, label, capability or None for everyone)
NAV = [
    ("home", gettext_noop("Start"), None),
    ("case_list", gettext_noop("Casussen"), C.CASES_VIEW),
    ("premises_list", gettext_noop("Panden"), C.REGISTERS_VIEW),
    ("company_list", gettext_noop("Bedrijven"), C.REGISTERS_VIEW),
    ("monitoring", gettext_noop("Monitoring"), C.MONITORING_VIEW),
    ("processing_register", gettext_noop("Verwerkingsregister"), C.LEGAL_VIEW),
    ("covenant", gettext_noop("Convenant"), C.LEGAL_VIEW),
    ("audit_log", gettext_noop("Auditlog"), C.AUDIT_VIEW),
    ("retention", gettext_noop("Bewaartermijnen"), C.PRIVACY_MANAGE),
    ("subject_access", gettext_noop("Inzageverzoeken"), C.PRIVACY_MANAGE),
    ("organisation_list", gettext_noop("Organisaties"), C.PARTNERS_MANAGE),
    ("user_list", gettext_noop("Gebruikers"), C.PARTNERS_MANAGE),
]


def doorbraak(request):
    user = getattr(request, "user", None)
    nav = []
    if user is not None and user.is_authenticated and policy.is_verified(user):
        nav = [(name, label) for name, label, cap in NAV if cap is None or policy.has(user, cap)]
    return {"DEMO_MODE": settings.DEMO_MODE, "nav": nav}
