"""The xAPI vocabulary shared by the browser runtime and the export (src/mesotrain/xapi.py)."""
import pytest

from mesotrain import xapi


@pytest.mark.parametrize("seconds, text", [(0, "PT0S"), (0.01, "PT0.01S"), (1.5, "PT1.5S"), (61, "PT1M1S"),
                                           (3723.45, "PT1H2M3.45S"), (7200, "PT2H0S"), (-3, "PT0S")])
def test_durations_are_iso_8601_as_the_browser_writes_them(seconds, text):
    assert xapi.duration(seconds) == text


def test_a_uuid_attempt_is_its_own_registration_and_another_id_gets_a_stable_one():
    assert xapi.registration("5B2F8C3E-9A1D-4E6F-8B7C-0D1E2F3A4B5C") == "5b2f8c3e-9a1d-4e6f-8b7c-0d1e2f3a4b5c"
    derived = xapi.registration("aaaaaaaa-0001")
    assert derived == xapi.registration("aaaaaaaa-0001") != xapi.registration("aaaaaaaa-0002")
    assert len(derived) == 36


@pytest.mark.parametrize("url", ["https://lrs.example.org/xapi/", "http://127.0.0.1:8100/xAPI", "http://localhost/x/"])
def test_good_endpoints(url):
    assert xapi.endpoint_problem(url) is None
    assert xapi.endpoint(url).endswith("/") and not xapi.endpoint(url).endswith("//")


def test_statement_ids_are_fixed_by_what_they_are_about():
    assert xapi.statement_id("a", "answered", "x01") == xapi.statement_id("a", "answered", "x01")
    assert xapi.statement_id("a", "answered", "x01") != xapi.statement_id("a", "answered", "x02")
