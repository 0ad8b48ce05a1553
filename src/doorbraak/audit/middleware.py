from __future__ import annotations

import re
import uuid

from .context import ChainAfterResponse, RequestContext, chain_after_response, current

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestContextMiddleware:
    """Gives every request an id (or keeps a well-formed X-Request-ID) for the audit log, and has
    the entries the request wrote chained once its response has been sent."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request_id = given if _REQUEST_ID.match(given) else uuid.uuid4().hex
        request.request_id = request_id
        token = current.set(
            RequestContext(
                request_id=request_id,
                ip_address=request.META.get("REMOTE_ADDR", "")[:45],
                method=request.method[:10],
                path=request.path[:500],
            )
        )
        deferred = ChainAfterResponse()
        chain_token = chain_after_response.set(deferred)
        try:
            response = self.get_response(request)
        finally:
            chain_after_response.reset(chain_token)
            current.reset(token)
        response["X-Request-ID"] = request_id
        if deferred.needed:
            from .services import chain_now

            # Run by the server when the response is closed, after the body has gone out.
            response._resource_closers.append(chain_now)
        return response
