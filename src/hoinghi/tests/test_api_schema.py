"""The JSON API's OpenAPI description: what a client (and Schemathesis) may expect."""


def test_every_operation_documents_the_refusals_it_may_answer(client, db):
    """The 400s (and 401, 403, 404, 422) were missing from the description: a client could not
    know them, and Schemathesis took them for undocumented answers."""
    document = client.get("/api/openapi.json").json()
    error = {"$ref": "#/components/schemas/ErrorOut"}
    assert set(document["components"]["schemas"]["ErrorOut"]["properties"]) == {"code", "message", "params"}
    operations = [
        (method.upper(), path, operation)
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
    ]
    assert len(operations) >= 10
    for method, path, operation in operations:
        expected = {"400", "404", "422"}
        if operation.get("security"):
            expected |= {"401", "403"}
        for status in expected:
            answer = operation["responses"].get(status)
            assert answer, f"{method} {path} does not document {status}"
            assert answer["content"]["application/json"]["schema"] == error, f"{method} {path} {status}"
    # The self check-in takes the token as its credential: no session, so no 401.
    assert "401" not in document["paths"]["/api/invitations/{token}/checkin"]["post"]["responses"]
