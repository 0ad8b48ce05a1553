from django.urls import path

from . import views

# Only the monitoring figures are left here (they move to the monitoring app); every other API
# route is in its app's api.py, composed under /api/v1/ by doorbraak.site.urls.
urlpatterns = [
    path("monitoring/", views.MonitoringView.as_view(), name="api_monitoring"),
]
