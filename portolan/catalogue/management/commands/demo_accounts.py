"""Two demo sign-ins for trying Portolan out locally (`make run` calls this)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from portolan.accounts.models import Membership, MembershipRole, User
from portolan.catalogue.demo import demo_editor_organisation, generate_demo

EDITOR_EMAIL = "editor@demo.portolan.invalid"
STAFF_EMAIL = "staff@demo.portolan.invalid"
PASSWORD = "portolan-demo"


def _user(email: str, full_name: str, *, staff: bool) -> tuple[User, bool]:
    user, created = User.objects.get_or_create(
        email=email,
        defaults={"full_name": full_name, "is_staff": staff, "is_superuser": staff},
    )
    changed = created
    if user.is_staff != staff or user.is_superuser != staff or not user.is_active:
        user.is_staff = user.is_superuser = staff
        user.is_active = True
        changed = True
    if created or not user.check_password(PASSWORD):
        user.set_password(PASSWORD)
        changed = True
    if changed:
        user.save()
    return user, created


class Command(BaseCommand):
    help = "Create (idempotently) the demo editor and demo staff sign-ins and print them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", default=None, help="Site URL shown in the instructions.")

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        organisation = demo_editor_organisation()
        if organisation is None:
            self.stdout.write("No demo organisation yet: generating a small demo data set.")
            generate_demo(size=50, keep_existing=True, log=self.stdout.write)
            organisation = demo_editor_organisation()
        assert organisation is not None
        editor, _ = _user(EDITOR_EMAIL, "Demo Editor", staff=False)
        Membership.objects.get_or_create(
            user=editor, organisation=organisation, defaults={"role": MembershipRole.EDITOR}
        )
        _user(STAFF_EMAIL, "Demo Staff", staff=True)

        site = (options["url"] or getattr(settings, "SITE_URL", "http://127.0.0.1:8000")).rstrip(
            "/"
        )
        self.stdout.write(
            "\nDemo sign-ins (demo data only, never use them in production):\n"
            f"  Sign in at {site}/en/accounts/login/\n"
            f"  Member editor of “{organisation.name}”: {EDITOR_EMAIL} / {PASSWORD}\n"
            f"  Secretariat staff (moderation, admin at {site}/en/admin/): "
            f"{STAFF_EMAIL} / {PASSWORD}\n"
        )
