from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from portolan.accounts.models import Membership, User
from portolan.catalogue.demo import demo_editor_organisation

pytestmark = pytest.mark.django_db


def test_demo_accounts_are_created_once_and_can_sign_in(client):
    out = StringIO()
    call_command("demo_accounts", stdout=out)
    call_command("demo_accounts", stdout=out)
    assert User.objects.filter(email__endswith="@demo.portolan.invalid").count() == 2
    editor = User.objects.get(email="editor@demo.portolan.invalid")
    staff = User.objects.get(email="staff@demo.portolan.invalid")
    assert editor.check_password("portolan-demo")
    assert not editor.is_staff
    assert staff.is_staff and staff.is_superuser
    membership = Membership.objects.get(user=editor)
    assert membership.organisation == demo_editor_organisation()
    assert membership.role == "editor"
    assert Membership.objects.count() == 1
    text = out.getvalue()
    assert "http://127.0.0.1:8000/en/accounts/login/" in text
    assert "editor@demo.portolan.invalid / portolan-demo" in text
    assert "staff@demo.portolan.invalid / portolan-demo" in text


def test_demo_accounts_restore_a_changed_password():
    call_command("demo_accounts", stdout=StringIO())
    editor = User.objects.get(email="editor@demo.portolan.invalid")
    editor.set_password("something-else-entirely")
    editor.save()
    call_command("demo_accounts", stdout=StringIO())
    editor.refresh_from_db()
    assert editor.check_password("portolan-demo")
