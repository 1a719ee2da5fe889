from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from portolan.places.models import PortCity

pytestmark = pytest.mark.django_db


def test_add_port_city_command_creates_the_city_and_prints_it():
    out = StringIO()
    call_command("add_port_city", "Le Havre", "FR", stdout=out)
    assert "Le Havre (FR, region EU)" in out.getvalue()
    assert PortCity.objects.filter(name="Le Havre", country="FR").count() == 1
    call_command("add_port_city", "le havre", "fr", stdout=StringIO())
    assert PortCity.objects.count() == 1


def test_add_port_city_command_reports_unknown_city():
    with pytest.raises(CommandError, match="No city called"):
        call_command("add_port_city", "Atlantis Nowhere", "FR")
