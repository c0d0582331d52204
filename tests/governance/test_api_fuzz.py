# SPDX-License-Identifier: EUPL-1.2
"""API fuzzing of the governance operations with schemathesis, as the privacyfunctionaris (who holds
every governance permission): never a 5xx, whatever the input (security.md test 5)."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from tests.signals.test_api_fuzz import keep_the_test_connection, signed_in  # noqa: F401 (fixtures)
from weerbaar.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/schema?format=json", application).include(
    path_regex="^/api/v1/governance/"
)


@pytest.mark.django_db
@pytest.mark.parametrize("signed_in", ["privacyfunctionaris"], indirect=True)
@schema.parametrize()
@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_no_server_errors(case: Any, signed_in: dict[str, Any]) -> None:  # noqa: F811
    response = case.call(headers=signed_in["headers"], cookies=signed_in["cookies"])
    case.validate_response(response, checks=[not_a_server_error])
    assert response.status_code < 500
