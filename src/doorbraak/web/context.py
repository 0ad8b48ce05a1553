from django.conf import settings

from doorbraak import policy
from doorbraak.policy import Capability as C

# Navigation: (url name, label, capability or None for everyone)
NAV = [
    ("home", "Start", None),
    ("case_list", "Casussen", C.CASES_VIEW),
    ("premises_list", "Panden", C.REGISTERS_VIEW),
    ("company_list", "Bedrijven", C.REGISTERS_VIEW),
    ("monitoring", "Monitoring", C.MONITORING_VIEW),
    ("processing_register", "Verwerkingsregister", C.LEGAL_VIEW),
    ("covenant", "Convenant", C.LEGAL_VIEW),
    ("audit_log", "Auditlog", C.AUDIT_VIEW),
    ("retention", "Bewaartermijnen", C.PRIVACY_MANAGE),
    ("subject_access", "Inzageverzoeken", C.PRIVACY_MANAGE),
    ("organisation_list", "Organisaties", C.PARTNERS_MANAGE),
    ("user_list", "Gebruikers", C.PARTNERS_MANAGE),
]


def doorbraak(request):
    user = getattr(request, "user", None)
    nav = []
    if user is not None and user.is_authenticated and policy.is_verified(user):
        nav = [(name, label) for name, label, cap in NAV if cap is None or policy.has(user, cap)]
    return {"DEMO_MODE": settings.DEMO_MODE, "nav": nav}
