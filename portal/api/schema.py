"""Documents, on every operation of the open-data API, the errors it can answer with."""

ERROR_BODY = {"application/json": {"schema": {
    "type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}}}


def document_error_responses(result, generator, request, public):
    """A drf-spectacular post-processing hook: 404 on every operation (unknown or
    unpublished object, a page past the end), 429 on every operation (the throttle of
    portal/api/throttling.py) and 400 on lists (a filter value of the wrong
    type), each with DRF's `{"detail": ...}` body or a field-error map."""
    for path, operations in result.get("paths", {}).items():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            responses.setdefault("404", {"description": "Not found, or not published.",
                                         "content": ERROR_BODY})
            responses.setdefault("429", {
                "description": "Too many calls from this address: try again after the "
                               "number of seconds in the Retry-After header.",
                "headers": {"Retry-After": {"schema": {"type": "integer"}}},
                "content": ERROR_BODY})
            if "{" not in path:
                responses.setdefault("400", {
                    "description": "A filter value that cannot be used.",
                    "content": {"application/json": {"schema": {"type": "object"}}}})
    return result
