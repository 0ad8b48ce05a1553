"""`/gezondheid/` and `/health/`: is the database reachable, is a worker alive? No login, no
personal data, no audit write.

The answer is JSON with ``status`` "ok", "degraded" or "down":
- database unreachable: "down", HTTP 503 (take this web process out of the load balancer);
- database fine but no live worker (no heartbeat, or only stale ones): "degraded", HTTP 200 -
  the site works, background jobs wait - so that a load balancer keeps serving pages; monitoring
  that must alert on a missing worker reads ``status`` or asks ``?strict=1``, which answers
  "degraded" with HTTP 503 too."""

from __future__ import annotations

import time

from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import selectors


@never_cache
@require_GET
def health(request):
    now = timezone.now()
    body: dict = {"time": now.isoformat()}
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        body["database"] = {
            "ok": True,
            "vendor": connection.vendor,
            "ms": round((time.perf_counter() - started) * 1000, 1),
        }
    except Exception as exc:  # noqa: BLE001 - any failure to reach the database
        body["database"] = {"ok": False, "error": type(exc).__name__}
        body["status"] = "down"
        body["worker"] = {"ok": None}
        return JsonResponse(body, status=503)
    try:
        workers = selectors.workers(now)
        alive = [w for w in workers if w["alive"]]
        body["worker"] = {
            "ok": bool(alive),
            "alive": len(alive),
            "stale": len(workers) - len(alive),
            "last_heartbeat": max((w["last_heartbeat"] for w in workers), default=None),
            "age_seconds": min((w["age_seconds"] for w in workers), default=None),
        }
        body["queue"] = selectors.queue_state(now)
    except Exception as exc:  # noqa: BLE001 - e.g. tables missing before migrate
        body["worker"] = {"ok": False, "error": type(exc).__name__}
    body["status"] = "ok" if body["worker"].get("ok") else "degraded"
    strict = request.GET.get("strict") in {"1", "true", "ja"}
    return JsonResponse(body, status=503 if strict and body["status"] != "ok" else 200)
