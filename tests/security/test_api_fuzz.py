"""Schemathesis fuzzes every operation of the open-data API from its own OpenAPI schema:
whatever the input, the answer is a 2xx or a clear 4xx (never a 500), a documented status,
and a body that matches the schema."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from tests import tally
from tests.portal.factories_showcase import published_edition

pytestmark = pytest.mark.django_db

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())
FUZZ_EXAMPLES = 40


@pytest.fixture
def world():
    # Schemathesis calls the WSGI app directly, not through Django's test client: keep the
    # request signals from closing the test's database connection, as the client does.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield published_edition(slug="fuzz-edition")
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=FUZZ_EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_api_operation_answers_every_generated_input_cleanly(case, world):
    tally.count("API-fuzz cases (schemathesis)")
    response = case.call()
    assert response.status_code < 500, f"{case.method} {case.formatted_path}"
    case.validate_response(response, checks=[not_a_server_error, status_code_conformance,
                                             response_schema_conformance])
