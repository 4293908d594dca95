from tests.staffing.conftest import roster  # noqa: F401  (a roster for tests that call every operation)
