from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from portolan.places.services import port_city_add


class Command(BaseCommand):
    help = "Add a port city by name and ISO 3166 country code, with its GeoNames coordinates."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help='City name, e.g. "Le Havre" (accents optional).')
        parser.add_argument("country", help="ISO 3166 alpha-2 code, e.g. FR.")
        parser.add_argument(
            "--geonameid", type=int, default=None, help="Pick one of several same-named cities."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            city = port_city_add(
                name=options["name"], country=options["country"], geonameid=options["geonameid"]
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            f"{city.name} ({city.country}, region {city.region}): "
            f"{city.latitude:.5f}, {city.longitude:.5f}, geonameid {city.geonameid}, "
            f"slug {city.slug}"
        )
