"""The API documentation (Redoc), served entirely by the application.

drf-spectacular's own Redoc page takes the Redoc script from drf-spectacular-sidecar
(``REDOC_DIST = "SIDECAR"``), but its template still links Google Fonts in the page head, a
render-blocking stylesheet: offline, or behind a firewall that drops the request, the page stays
on "Loading…". Redoc itself also shows its logo from cdn.redoc.ly. Our template has no outside
links and the response carries a Content-Security-Policy that allows only this application, so
nothing can be fetched from elsewhere."""

from __future__ import annotations

from drf_spectacular.views import SpectacularRedocView

# Redoc injects its own <style> elements (styled-components) and runs a web worker from a blob:
# URL; our init script is a static file, so scripts stay 'self' only. Only this page relaxes
# style-src.
DOCS_CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "worker-src 'self' blob:",
        "connect-src 'self'",
        "frame-ancestors 'none'",
    ]
)


class ApiDocsView(SpectacularRedocView):
    template_name = "api/redoc.html"

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Content-Security-Policy"] = DOCS_CSP
        return response
