"""The shared race runner: every call's outcome in order, exceptions kept; a server without room skips."""

import pytest
from django.db import connection

from tests.races import race, require_connections


def test_it_returns_each_outcome_in_order_with_the_exceptions():
    def boom():
        raise ValueError("refused")

    outcomes = race(lambda: 1, boom, lambda: 3)
    assert outcomes[0] == 1 and outcomes[2] == 3
    assert isinstance(outcomes[1], ValueError) and str(outcomes[1]) == "refused"


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="asks PostgreSQL for its max_connections")
def test_it_skips_naming_max_connections_when_the_server_has_no_room():
    with pytest.raises(pytest.skip.Exception, match="max_connections is"):
        require_connections(1_000_000)
    require_connections(1)  # room for one racer: no skip
