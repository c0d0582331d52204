# SPDX-License-Identifier: EUPL-1.2
"""API plumbing shared by every app: RFC 9457 problem details, header pagination, version header.

Follows the NL API Design Rules: ``/api/v1`` without trailing slashes, an ``API-Version`` header
on every response, errors as ``application/problem+json``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler

API_VERSION = "1.0.0"
PROBLEM_TYPE = "about:blank"


def problem_body(status: int, title: str, detail: str, **extra: Any) -> dict[str, Any]:
    return {"type": PROBLEM_TYPE, "title": title, "status": status, "detail": detail, **extra}


def problem_response(status: int, title: str, detail: str, **extra: Any) -> HttpResponse:
    response = JsonResponse(problem_body(status, title, detail, **extra), status=status)
    response["Content-Type"] = "application/problem+json"
    response["API-Version"] = API_VERSION
    return response


def _flatten(errors: Any, prefix: str = "") -> list[dict[str, str]]:
    """DRF's nested error dict as a flat list of {name, reason} (NL API rules' invalid-params)."""
    out: list[dict[str, str]] = []
    if isinstance(errors, dict):
        for key, value in errors.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            if key == "non_field_errors":
                name = prefix or "body"
            out.extend(_flatten(value, name))
    elif isinstance(errors, list):
        if all(not isinstance(e, (dict, list)) for e in errors):
            out.extend({"name": prefix or "body", "reason": str(e)} for e in errors)
        else:
            for i, item in enumerate(errors):
                out.extend(_flatten(item, f"{prefix}[{i}]"))
    else:
        out.append({"name": prefix or "body", "reason": str(errors)})
    return out


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    status = response.status_code
    if isinstance(exc, exceptions.ValidationError):
        params = _flatten(exc.detail)
        body = problem_body(
            status,
            "Invalid input",
            "; ".join(f"{p['name']}: {p['reason']}" for p in params),
            invalid_params=params,
        )
    elif isinstance(exc, exceptions.NotAuthenticated):
        # DRF answers 403 for session authentication; the API says what it means: 401.
        response.status_code = status = 401
        response["WWW-Authenticate"] = 'Session realm="weerbaar"'
        body = problem_body(401, "Not signed in", "Sign in first.")
    else:
        detail = getattr(exc, "detail", str(exc))
        body = problem_body(status, response.status_text, str(detail))
    response.data = body
    response.content_type = "application/problem+json"
    return response


class HeaderPagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


def api_version_header(get_response: Any) -> Any:
    """Middleware: every /api response carries API-Version."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if request.path.startswith("/api/"):
            response["API-Version"] = API_VERSION
        return response

    return middleware
