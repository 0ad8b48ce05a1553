"""Retention for monitoring: nothing to do. Monitoring stores no personal data — prevention
reach is counts per school or location, and the texts per pillar are policy texts for the
council (kept as part of the council's records). The user who registered or edited a row is
kept as SET_NULL when the account goes."""
