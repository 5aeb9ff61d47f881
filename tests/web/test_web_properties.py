"""Property-based tests generated from the API's OpenAPI schema (schemathesis + hypothesis): no 5xx.

Each operation of the schema is fed generated parameters, valid ones and invalid ones (bad dates, odd
strings, out-of-range numbers, unknown ids); the server must never answer 5xx, and must answer JSON.
The schema is read from the running app, so a new endpoint is covered without touching this file.
"""
from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from dyad.web import create_app

EXAMPLES = {GenerationMode.POSITIVE: 25, GenerationMode.NEGATIVE: 8}


@pytest.fixture(scope="module")
def api_schema(example_db):
    app = create_app(example_db)
    yield schemathesis.openapi.from_asgi("/openapi.json", app)
    app.state.db.close()


def _operations(schema):
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10, "the schema lost operations"
    return operations


def _check_operation(operation, mode: GenerationMode) -> bool:
    """Runs the generated cases; False when the schema admits no invalid input for this operation."""
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES[mode], deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def no_server_error(case):
        response = case.call()
        case.validate_response(response, checks=[not_a_server_error])
        content_type = (response.headers.get("content-type") or [""])[0]
        assert content_type.startswith("application/json"), case.as_curl_command()

    try:
        no_server_error()
    except Unsatisfiable:
        if mode is GenerationMode.POSITIVE:
            raise
        return False
    return True


@pytest.mark.parametrize("mode", list(EXAMPLES), ids=lambda m: m.value)
def test_no_generated_input_makes_the_server_fail(api_schema, mode):
    checked = [_check_operation(operation, mode) for operation in _operations(api_schema)]
    assert sum(checked) >= 8, f"only {sum(checked)} operations could be exercised"
