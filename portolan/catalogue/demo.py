"""A clearly marked demo data set of any size, fast enough for 100,000 initiatives.

Every generated row has `is_demo=True`; organisation and Port Center names start with "Demo",
initiative titles end with "[demo]", and every website or link is on the reserved `.invalid`
top-level domain. Port cities are real (GeoNames coordinates via portolan.places.geodata); a city
is marked demo only when the generator created it. Records are written in batches by the
services' bulk writer (`services.records_bulk_write`): validated by the models' rules, with their
links' snapshot and a history row whose change reason is "demo"; no per-row save(), no signals
(the search index is rebuilt once at the end).

Text is assembled from small phrase tables in English, French and Spanish combined with the
shared vocabularies (themes, Agenda 2030 goals, audiences), so records read plausibly and the
search has real words to stem in three languages."""

from __future__ import annotations

import itertools
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from portolan.accounts.models import Membership, Organisation, OrganisationKind
from portolan.core.models import Audience, Goal, Theme
from portolan.core.signals import records_bulk_written
from portolan.core.vocabulary import load_vocabulary
from portolan.places.models import PortCity
from portolan.places.services import port_city_add

from .models import (
    Attachment,
    BudgetBand,
    Initiative,
    InitiativeTranslation,
    ModerationEvent,
    Offer,
    PortCenter,
    PortCenterStatus,
    PublicationStatus,
)
from .services import BulkRow, records_bulk_write

DEMO_DOMAIN = "invalid"
# The change reason of every history row the generator writes.
DEMO_REASON = "demo"
TITLE_MARK = "[demo]"

# Real port cities (name as GeoNames spells it or an alternate name, ISO country). The generator
# uses the first ones for small data sets and more of them as the size grows.
PORT_CITIES: tuple[tuple[str, str], ...] = (
    ("Le Havre", "FR"),
    ("Genoa", "IT"),
    ("Bilbao", "ES"),
    ("Montreal", "CA"),
    ("Rotterdam", "NL"),
    ("Valparaíso", "CL"),
    ("Durban", "ZA"),
    ("Singapore", "SG"),
    ("Shanghai", "CN"),
    ("Busan", "KR"),
    ("Yokohama", "JP"),
    ("Sydney", "AU"),
    ("Hamburg", "DE"),
    ("Antwerp", "BE"),
    ("Marseille", "FR"),
    ("Barcelona", "ES"),
    ("Lisbon", "PT"),
    ("Piraeus", "GR"),
    ("Istanbul", "TR"),
    ("Alexandria", "EG"),
    ("Casablanca", "MA"),
    ("Dakar", "SN"),
    ("Abidjan", "CI"),
    ("Lagos", "NG"),
    ("Mombasa", "KE"),
    ("Dar es Salaam", "TZ"),
    ("Mumbai", "IN"),
    ("Chennai", "IN"),
    ("Colombo", "LK"),
    ("Chittagong", "BD"),
    ("Ho Chi Minh City", "VN"),
    ("Manila", "PH"),
    ("Jakarta", "ID"),
    ("Surabaya", "ID"),
    ("Bangkok", "TH"),
    ("Hong Kong", "HK"),
    ("Kaohsiung", "TW"),
    ("Osaka", "JP"),
    ("Kobe", "JP"),
    ("Auckland", "NZ"),
    ("Melbourne", "AU"),
    ("Brisbane", "AU"),
    ("Fremantle", "AU"),
    ("Vancouver", "CA"),
    ("Halifax", "CA"),
    ("Seattle", "US"),
    ("San Francisco", "US"),
    ("Los Angeles", "US"),
    ("Long Beach", "US"),
    ("Houston", "US"),
    ("New Orleans", "US"),
    ("Miami", "US"),
    ("Savannah", "US"),
    ("Baltimore", "US"),
    ("Boston", "US"),
    ("Veracruz", "MX"),
    ("Manzanillo", "MX"),
    ("Cartagena", "CO"),
    ("Panamá", "PA"),
    ("Guayaquil", "EC"),
    ("Callao", "PE"),
    ("Santos", "BR"),
    ("Rio de Janeiro", "BR"),
    ("Salvador", "BR"),
    ("Buenos Aires", "AR"),
    ("Montevideo", "UY"),
    ("Havana", "CU"),
    ("Kingston", "JM"),
    ("Dublin", "IE"),
    ("Cork", "IE"),
    ("Liverpool", "GB"),
    ("Southampton", "GB"),
    ("Glasgow", "GB"),
    ("Bristol", "GB"),
    ("Gothenburg", "SE"),
    ("Stockholm", "SE"),
    ("Oslo", "NO"),
    ("Bergen", "NO"),
    ("Copenhagen", "DK"),
    ("Aarhus", "DK"),
    ("Helsinki", "FI"),
    ("Tallinn", "EE"),
    ("Riga", "LV"),
    ("Klaipėda", "LT"),
    ("Gdańsk", "PL"),
    ("Szczecin", "PL"),
    ("Bremen", "DE"),
    ("Kiel", "DE"),
    ("Amsterdam", "NL"),
    ("Ghent", "BE"),
    ("Zeebrugge", "BE"),
    ("Dunkirk", "FR"),
    ("Nantes", "FR"),
    ("Bordeaux", "FR"),
    ("Brest", "FR"),
    ("Toulon", "FR"),
    ("Nice", "FR"),
    ("Valencia", "ES"),
    ("Algeciras", "ES"),
    ("Vigo", "ES"),
    ("Málaga", "ES"),
    ("Tarragona", "ES"),
    ("Porto", "PT"),
    ("Livorno", "IT"),
    ("Naples", "IT"),
    ("Trieste", "IT"),
    ("Venice", "IT"),
    ("Palermo", "IT"),
    ("Valletta", "MT"),
    ("Rijeka", "HR"),
    ("Split", "HR"),
    ("Koper", "SI"),
    ("Thessaloniki", "GR"),
    ("Constanța", "RO"),
    ("Varna", "BG"),
    ("Odesa", "UA"),
    ("Haifa", "IL"),
    ("Ashdod", "IL"),
    ("Beirut", "LB"),
    ("Tunis", "TN"),
    ("Algiers", "DZ"),
    ("Oran", "DZ"),
    ("Tangier", "MA"),
    ("Agadir", "MA"),
    ("Nouakchott", "MR"),
    ("Conakry", "GN"),
    ("Tema", "GH"),
    ("Lomé", "TG"),
    ("Cotonou", "BJ"),
    ("Douala", "CM"),
    ("Libreville", "GA"),
    ("Pointe-Noire", "CG"),
    ("Luanda", "AO"),
    ("Walvis Bay", "NA"),
    ("Cape Town", "ZA"),
    ("Port Elizabeth", "ZA"),
    ("Maputo", "MZ"),
    ("Toamasina", "MG"),
    ("Port Louis", "MU"),
    ("Djibouti", "DJ"),
    ("Jeddah", "SA"),
    ("Dubai", "AE"),
    ("Muscat", "OM"),
    ("Karachi", "PK"),
)

KIND_NAMES: dict[str, str] = {
    OrganisationKind.PORT_AUTHORITY: "Demo Port Authority of {city}",
    OrganisationKind.CITY: "Demo City of {city}",
    OrganisationKind.PORT_CENTER: "Demo Port Center {city}",
    OrganisationKind.COMPANY: "Demo {city} Terminals",
    OrganisationKind.ASSOCIATION: "Demo {city} Port Heritage Association",
    OrganisationKind.UNIVERSITY: "Demo {city} Maritime University Lab",
    OrganisationKind.PUBLIC_AGENCY: "Demo {city} Waterfront Agency",
}

# Organisation descriptions: what the kind of body does, what this one focuses on and since
# when, picked by the organisation's number so that no two demo organisations read alike.
ORG_ROLES: dict[str, tuple[str, ...]] = {
    OrganisationKind.PORT_AUTHORITY: (
        "runs the docks and terminals of {city} and opens them to residents",
        "manages the port estate of {city} and its relations with the city",
    ),
    OrganisationKind.CITY: (
        "is the local authority of {city}, in charge of the waterfront districts",
        "plans the neighbourhoods of {city} that face the port",
    ),
    OrganisationKind.PORT_CENTER: (
        "welcomes visitors to the working port of {city}",
        "explains the port of {city} to schools, families and job seekers",
    ),
    OrganisationKind.COMPANY: (
        "operates container and bulk terminals in {city}",
        "handles cargo and ship services on the quays of {city}",
    ),
    OrganisationKind.ASSOCIATION: (
        "gathers volunteers who keep the maritime memory of {city} alive",
        "brings together former dockers and residents of {city}",
    ),
    OrganisationKind.UNIVERSITY: (
        "studies port-city relations in {city} with students and researchers",
        "runs a maritime research lab working with the port of {city}",
    ),
    OrganisationKind.PUBLIC_AGENCY: (
        "regenerates former port land along the water in {city}",
        "coordinates public investment on the waterfront of {city}",
    ),
}
ORG_FOCUS: tuple[str, ...] = (
    "school visits and classroom kits",
    "guided boat tours of the harbour",
    "careers in logistics and port trades",
    "air quality and noise monitoring",
    "heritage cranes, sheds and lighthouses",
    "public debates on port projects",
    "cycle and walking routes to the quays",
    "open data on port traffic",
    "festivals on the old docks",
    "shore power and renewable energy",
    "cruise passenger welcome",
    "wetland and dune restoration",
    "apprenticeships with terminal operators",
)
ORG_SINCE = ("since {year}", "from {year} onwards", "for its members since {year}")


def _org_description(i: int, kind: str, name: str, city: str) -> str:
    roles = ORG_ROLES[kind]
    # Coprime table sizes: the combination repeats only after hundreds of organisations.
    role = roles[(i // len(ORG_ROLES)) % len(roles)].format(city=city)
    focus = ORG_FOCUS[i % len(ORG_FOCUS)]
    second = ORG_FOCUS[(i + 1 + (i // len(ORG_FOCUS)) % (len(ORG_FOCUS) - 1)) % len(ORG_FOCUS)]
    since = ORG_SINCE[i % len(ORG_SINCE)].format(year=1960 + (i * 7) % 63)
    return (
        f"{name} {role}. Its work centres on {focus} and {second}, {since}. "
        f"Demo organisation generated for trying Portolan out {TITLE_MARK}."
    )


# Project names per theme slug: (English, French, Spanish).
PROJECTS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "port-city-interface": (
        ("Open port weekend", "Week-end du port ouvert", "Fin de semana del puerto abierto"),
        (
            "Shared quay promenade",
            "Promenade partagée sur les quais",
            "Paseo compartido del muelle",
        ),
    ),
    "culture-identity": (
        (
            "Port stories festival",
            "Festival des histoires portuaires",
            "Festival de historias del puerto",
        ),
        (
            "Dockers' songs archive",
            "Archive des chants de dockers",
            "Archivo de canciones estibadoras",
        ),
    ),
    "education": (
        (
            "School port discovery days",
            "Journées portuaires pour les écoles",
            "Jornadas escolares del puerto",
        ),
        ("Port classroom kit", "Mallette pédagogique du port", "Maletín pedagógico del puerto"),
    ),
    "jobs-skills": (
        ("Port trades job fair", "Forum des métiers portuaires", "Feria de oficios portuarios"),
        (
            "Crane simulator training",
            "Formation sur simulateur de grue",
            "Formación con simulador de grúa",
        ),
    ),
    "tourism-cruise": (
        (
            "Cruise passenger welcome trail",
            "Parcours d'accueil des croisiéristes",
            "Ruta de acogida de cruceristas",
        ),
        ("Harbour boat tours", "Visites du port en bateau", "Visitas al puerto en barco"),
    ),
    "environment": (
        (
            "Port air quality observatory",
            "Observatoire de la qualité de l'air portuaire",
            "Observatorio de la calidad del aire portuario",
        ),
        (
            "Dune and wetland restoration",
            "Restauration des dunes et zones humides",
            "Restauración de dunas y humedales",
        ),
    ),
    "energy": (
        (
            "Shore power for ferries",
            "Branchement électrique à quai des ferries",
            "Conexión eléctrica en muelle para ferris",
        ),
        ("Port solar cooperative", "Coopérative solaire portuaire", "Cooperativa solar portuaria"),
    ),
    "mobility": (
        (
            "Cycle route through the port",
            "Piste cyclable à travers le port",
            "Carril bici a través del puerto",
        ),
        ("Water bus link", "Navette fluviale", "Enlace de autobús acuático"),
    ),
    "governance-participation": (
        ("Citizen port forum", "Forum citoyen du port", "Foro ciudadano del puerto"),
        (
            "Port-city masterplan consultation",
            "Concertation sur le schéma ville-port",
            "Consulta del plan director puerto-ciudad",
        ),
    ),
    "waterfront-regeneration": (
        (
            "Old dock conversion",
            "Reconversion du vieux bassin",
            "Reconversión de la antigua dársena",
        ),
        (
            "Warehouse to cultural hub",
            "De l'entrepôt au lieu culturel",
            "Del almacén al centro cultural",
        ),
    ),
    "heritage": (
        (
            "Historic crane restoration",
            "Restauration de la grue historique",
            "Restauración de la grúa histórica",
        ),
        (
            "Lighthouse heritage trail",
            "Sentier patrimonial des phares",
            "Ruta patrimonial de los faros",
        ),
    ),
    "innovation-digital": (
        ("Virtual port visit", "Visite virtuelle du port", "Visita virtual del puerto"),
        (
            "Open port data dashboard",
            "Tableau de bord des données portuaires",
            "Panel de datos abiertos del puerto",
        ),
    ),
    "logistics-industry": (
        (
            "Behind the terminal gates",
            "Derrière les grilles du terminal",
            "Tras las puertas de la terminal",
        ),
        (
            "Logistics careers week",
            "Semaine des carrières logistiques",
            "Semana de carreras logísticas",
        ),
    ),
    "communication-outreach": (
        (
            "Port ambassadors network",
            "Réseau des ambassadeurs du port",
            "Red de embajadores del puerto",
        ),
        ("Port podcast series", "Série de podcasts du port", "Serie de pódcast del puerto"),
    ),
}
GENERIC_PROJECTS = PROJECTS["port-city-interface"]

TITLE = {"en": "{project} in {city}", "fr": "{project} à {city}", "es": "{project} en {city}"}

SUMMARY = {
    "en": (
        "{lead} brings {audiences} closer to the port of {city} through a {kind} focused on {theme}.",  # noqa: E501
        "A {kind} in {city} that opens the working port to {audiences}, with {theme} at its core.",
        "In {city}, {lead} designed a {kind} for {audiences} around {theme}.",
    ),
    "fr": (
        "{lead} rapproche {audiences} du port de {city} grâce à un {kind} consacré à : {theme}.",
        "Un {kind} à {city} qui ouvre le port en activité à {audiences}, autour de : {theme}.",
        "À {city}, {lead} a conçu un {kind} pour {audiences} sur le thème : {theme}.",
    ),
    "es": (
        "{lead} acerca a {audiences} al puerto de {city} con un {kind} centrado en: {theme}.",
        "Un {kind} en {city} que abre el puerto en actividad a {audiences}, en torno a: {theme}.",
        "En {city}, {lead} diseñó un {kind} para {audiences} sobre el tema: {theme}.",
    ),
}
KINDS = {
    "en": ("programme", "pilot project", "yearly event", "permanent offer", "partnership"),
    "fr": (
        "programme",
        "projet pilote",
        "rendez-vous annuel",
        "dispositif permanent",
        "partenariat",
    ),
    # All masculine: the sentence templates say "un {kind}" / "con un {kind}".
    "es": (
        "programa",
        "proyecto piloto",
        "evento anual",
        "servicio permanente",
        "acuerdo de colaboración",
    ),
}
CONTEXT = {
    "en": (
        "Residents of {city} see the port as a closed zone behind fences and know little about it.",
        "The port of {city} struggles to recruit young people into its trades.",
        "Former port land in {city} lay empty for years between the centre and the water.",
        "Traffic growth in {city} raised questions from neighbours about noise and air quality.",
    ),
    "fr": (
        "Les habitants de {city} voient le port comme une zone fermée et le connaissent mal.",
        "Le port de {city} peine à attirer les jeunes vers ses métiers.",
        "D'anciens terrains portuaires de {city} restaient vides entre le centre et l'eau.",
        "La hausse du trafic à {city} inquiétait les riverains sur le bruit et la qualité de l'air.",  # noqa: E501
    ),
    "es": (
        "Los vecinos de {city} ven el puerto como una zona cerrada y lo conocen poco.",
        "El puerto de {city} tiene dificultades para atraer a jóvenes a sus oficios.",
        "Antiguos terrenos portuarios de {city} seguían vacíos entre el centro y el agua.",
        "El aumento del tráfico en {city} preocupaba a los vecinos por el ruido y el aire.",
    ),
}
ACTIONS = {
    "en": (
        "Guided visits of terminals were organised with port staff.",
        "A travelling exhibition toured schools and libraries.",
        "Workshops let participants try real port tools and simulators.",
        "Public debates gathered the port authority, the city and residents.",
        "A website and a map publish the programme and the results.",
    ),
    "fr": (
        "Des visites guidées des terminaux ont été organisées avec le personnel du port.",
        "Une exposition itinérante a circulé dans les écoles et médiathèques.",
        "Des ateliers ont permis d'essayer de vrais outils et simulateurs portuaires.",
        "Des débats publics ont réuni l'autorité portuaire, la ville et les habitants.",
        "Un site web et une carte présentent le programme et les résultats.",
    ),
    "es": (
        "Se organizaron visitas guiadas a las terminales con personal del puerto.",
        "Una exposición itinerante recorrió escuelas y bibliotecas.",
        "Talleres permitieron probar herramientas y simuladores portuarios reales.",
        "Debates públicos reunieron a la autoridad portuaria, la ciudad y los vecinos.",
        "Una web y un mapa publican el programa y los resultados.",
    ),
}
RESULTS = {
    "en": "{people} participants in {year}, {groups} school groups and a satisfaction rate of {rate}%.",  # noqa: E501
    "fr": "{people} participants en {year}, {groups} groupes scolaires et {rate} % de satisfaction.",  # noqa: E501
    "es": "{people} participantes en {year}, {groups} grupos escolares y un {rate} % de satisfacción.",  # noqa: E501
}
RESOURCES = {
    "en": "{fte} full-time staff and a yearly budget of about €{budget},000.",
    "fr": "{fte} équivalents temps plein et un budget annuel d'environ {budget} 000 €.",
    "es": "{fte} empleados a tiempo completo y un presupuesto anual de unos {budget}.000 €.",
}
LESSONS = {
    "en": (
        "Involving port workers as guides made the visits credible.",
        "A steady partnership with schools matters more than one-off events.",
        "Easy to transfer to any port city with a willing port authority.",
        "Safety rules must be agreed with terminal operators from the start.",
    ),
    "fr": (
        "Faire des travailleurs portuaires des guides rend les visites crédibles.",
        "Un partenariat durable avec les écoles compte plus que des événements ponctuels.",
        "Facile à transposer dans toute ville portuaire avec une autorité portuaire volontaire.",
        "Les règles de sûreté doivent être convenues dès le départ avec les opérateurs.",
    ),
    "es": (
        "Contar con trabajadores portuarios como guías da credibilidad a las visitas.",
        "Una colaboración estable con las escuelas importa más que eventos puntuales.",
        "Fácil de transferir a cualquier ciudad portuaria con una autoridad dispuesta.",
        "Las normas de seguridad deben acordarse con los operadores desde el principio.",
    ),
}
FUNDING = (
    "Port authority",
    "Port authority, City",
    "City, Region",
    "Port authority, EU programme",
    "Private sponsors, ticketing",
    "Region, national agency",
)
PC_DESCRIPTION = {
    "en": "A demo Port Center in {city}: a permanent exhibition on the port, school visits and {offer}.",  # noqa: E501
    "fr": "Un Port Center de démonstration à {city} : exposition permanente, visites scolaires et {offer}.",  # noqa: E501
    "es": "Un Port Center de demostración en {city}: exposición permanente, visitas escolares y {offer}.",  # noqa: E501
}
PC_OFFER_WORDS = {
    "en": ("boat tours", "job discovery days", "virtual visits"),
    "fr": ("visites en bateau", "découverte des métiers", "visites virtuelles"),
    "es": ("visitas en barco", "descubrimiento de oficios", "visitas virtuales"),
}
# Language of a record written in a city of this country; English elsewhere.
FRENCH = {
    "FR",
    "BE",
    "CA",
    "MA",
    "SN",
    "CI",
    "TN",
    "DZ",
    "MR",
    "GN",
    "TG",
    "BJ",
    "CM",
    "GA",
    "CG",
    "MG",
    "MU",
    "DJ",
    "LB",
}
SPANISH = {"ES", "CL", "MX", "CO", "PA", "EC", "PE", "AR", "UY", "CU"}

# Demo organisation 0 owns one record in each publication status (for the demo editor account).
STATUS_WEIGHTS: tuple[tuple[str, int], ...] = (
    (PublicationStatus.PUBLISHED, 88),
    (PublicationStatus.DRAFT, 5),
    (PublicationStatus.SUBMITTED, 4),
    (PublicationStatus.CHANGES_REQUESTED, 2),
    (PublicationStatus.REJECTED, 1),
)


@dataclass
class DemoReport:
    cities_created: int = 0
    organisations_created: int = 0
    port_centers_created: int = 0
    initiatives_created: int = 0
    translations_created: int = 0
    links_created: int = 0
    deleted_initiatives: int = 0
    demo_initiatives: int = 0
    index_message: str = ""
    seconds: dict[str, float] = field(default_factory=dict)


def language_for(country: str) -> str:
    if country in FRENCH:
        return "fr"
    if country in SPANISH:
        return "es"
    return "en"


def _join(items: Sequence[str], lang: str) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    word = {"en": "and", "fr": "et", "es": "y"}[lang]
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


def _label(term: Any, lang: str) -> str:
    return str(getattr(term, f"name_{lang}") or term.name_en)


# ---------------------------------------------------------------------------------------------
# Removal


def delete_demo() -> int:
    """Remove every demo initiative and Port Center, then the demo organisations and cities no
    real record still uses. Raw deletes: simple-history would otherwise write one history row
    per deleted record."""
    demo_initiatives = Initiative.objects.filter(is_demo=True)
    count = demo_initiatives.count()
    for through in (
        Initiative.themes.through,
        Initiative.goals.through,
        Initiative.audiences.through,
        Initiative.partners.through,
    ):
        through.objects.filter(initiative__is_demo=True).delete()
    InitiativeTranslation.objects.filter(initiative__is_demo=True).delete()
    Attachment.objects.filter(initiative__is_demo=True).delete()
    ModerationEvent.objects.filter(initiative__is_demo=True).delete()
    Initiative.history.model.objects.filter(is_demo=True).delete()  # type: ignore[attr-defined]
    demo_initiatives._raw_delete(demo_initiatives.db)  # type: ignore[attr-defined]

    demo_centers = PortCenter.objects.filter(is_demo=True)
    PortCenter.operators.through.objects.filter(portcenter__is_demo=True).delete()
    PortCenter.audiences.through.objects.filter(portcenter__is_demo=True).delete()
    Attachment.objects.filter(port_center__is_demo=True).delete()
    ModerationEvent.objects.filter(port_center__is_demo=True).delete()
    PortCenter.history.model.objects.filter(is_demo=True).delete()  # type: ignore[attr-defined]
    demo_centers._raw_delete(demo_centers.db)  # type: ignore[attr-defined]

    # Organisations a real record still points at (e.g. an initiative a visitor wrote with the
    # demo editor account) are kept.
    used = set(Initiative.objects.values_list("organisation_id", flat=True).distinct())
    used |= set(PortCenter.objects.values_list("organisation_id", flat=True).distinct())
    demo_orgs = Organisation.objects.filter(is_demo=True).exclude(id__in=used)
    Initiative.partners.through.objects.filter(organisation__in=demo_orgs).delete()
    PortCenter.operators.through.objects.filter(organisation__in=demo_orgs).delete()
    Membership.objects.filter(organisation__in=demo_orgs).delete()
    Organisation.history.model.objects.filter(  # type: ignore[attr-defined]
        is_demo=True, id__in=demo_orgs.values("id")
    ).delete()
    demo_orgs._raw_delete(demo_orgs.db)  # type: ignore[attr-defined]

    PortCity.objects.filter(is_demo=True).filter(
        organisations__isnull=True, initiatives__isnull=True, port_centers__isnull=True
    ).delete()
    return count


# ---------------------------------------------------------------------------------------------
# Creation


def _cities(count: int, report: DemoReport) -> list[PortCity]:
    cities: list[PortCity] = []
    for name, country in PORT_CITIES[:count]:
        before = PortCity.objects.count()
        try:
            city = port_city_add(name=name, country=country, is_demo=True)
        except ValidationError:
            continue  # not in this GeoNames extract: the list is only a pool to draw from
        report.cities_created += PortCity.objects.count() - before
        cities.append(city)
    return cities


def _organisations(count: int, cities: list[PortCity], report: DemoReport) -> list[Organisation]:
    existing = {
        o.external_id: o
        for o in Organisation.objects.filter(is_demo=True, external_id__startswith="demo:org:")
    }
    kinds = list(KIND_NAMES)
    new: list[BulkRow] = []
    for i in range(count):
        external_id = f"demo:org:{i}"
        if external_id in existing:
            continue
        city = cities[i % len(cities)]
        kind = kinds[i % len(kinds)]
        name = KIND_NAMES[kind].format(city=city.name)
        round_ = i // (len(cities) * len(kinds)) if cities else 0
        if round_:
            name = f"{name} {round_ + 1}"
        slug = f"demo-{slugify(name)}-{i}"[:200]
        new.append(
            BulkRow(
                record=Organisation(
                    name=name,
                    slug=slug,
                    kind=kind,
                    port_city=city,
                    website=f"https://{slug}.{DEMO_DOMAIN}/",
                    description=_org_description(i, kind, name, city.name),
                    is_member=i % 3 != 2,
                    is_demo=True,
                    external_id=external_id,
                ),
                label=f"demo organisation {i}",
            )
        )
    records_bulk_write(model=Organisation, creates=new, actor=None, reason=DEMO_REASON)
    report.organisations_created = len(new)
    orgs = list(
        Organisation.objects.filter(
            is_demo=True, external_id__startswith="demo:org:"
        ).select_related("port_city")
    )
    orgs.sort(key=lambda o: int(str(o.external_id).rsplit(":", 1)[1]))
    return orgs


def _port_centers(
    count: int, orgs: list[Organisation], rng: random.Random, report: DemoReport
) -> None:
    existing = set(PortCenter.objects.filter(is_demo=True).values_list("external_id", flat=True))
    owners = [o for o in orgs if o.kind == OrganisationKind.PORT_CENTER] or orgs
    audiences = list(Audience.objects.all())
    offers = list(Offer.values)
    statuses = [PortCenterStatus.OPEN] * 6 + [
        PortCenterStatus.PROJECT,
        PortCenterStatus.UNDER_CONSTRUCTION,
        PortCenterStatus.CLOSED,
    ]
    new: list[BulkRow] = []
    for i in range(min(count, len(owners))):
        external_id = f"demo:port-center:{i}"
        if external_id in existing:
            continue
        owner = owners[i]
        city = owner.port_city
        assert city is not None
        lang = language_for(str(city.country))
        status = statuses[i % len(statuses)]
        center = PortCenter(
            name=owner.name,
            slug=f"demo-port-center-{slugify(city.name)}-{i}",
            organisation=owner,
            port_city=city,
            operator_text=owner.name,
            opening_year=None if status == PortCenterStatus.PROJECT else rng.randint(1985, 2024),
            status=status,
            surface_m2=rng.choice((None, 150, 300, 500, 800, 1200, 2500)),
            visitors_per_year=rng.choice((None, 5000, 12000, 25000, 40000, 90000)),
            visitors_year_of_figure=rng.choice((2022, 2023, 2024, 2025)),
            offers=rng.sample(offers, rng.randint(2, 5)),
            languages=", ".join(sorted({lang, "en"})),
            description=PC_DESCRIPTION[lang].format(
                city=city.name, offer=rng.choice(PC_OFFER_WORDS[lang])
            ),
            latitude=round(city.latitude + rng.uniform(-0.02, 0.02), 5),
            longitude=round(city.longitude + rng.uniform(-0.02, 0.02), 5),
            website=f"https://{owner.slug}.{DEMO_DOMAIN}/port-center/",
            contact_email=f"contact@{owner.slug}.{DEMO_DOMAIN}",
            publication_status=PublicationStatus.PUBLISHED,
            published_at=datetime(2024, 1, 1, tzinfo=UTC) + timedelta(days=rng.randint(0, 700)),
            external_id=external_id,
            is_demo=True,
        )
        links = {"audiences": rng.sample(audiences, min(len(audiences), rng.randint(2, 4)))}
        new.append(BulkRow(record=center, links=links, label=f"demo Port Center {i}"))
    records_bulk_write(model=PortCenter, creates=new, actor=None, reason=DEMO_REASON)
    report.port_centers_created = len(new)


@dataclass
class _Vocab:
    themes: list[Theme]
    goals: list[Goal]
    audiences: list[Audience]


def _render(
    lang: str,
    project: tuple[str, str, str],
    city: str,
    lead: str,
    theme: str,
    audiences: list[str],
    rng: random.Random,
) -> tuple[str, str]:
    idx = {"en": 0, "fr": 1, "es": 2}[lang]
    title = TITLE[lang].format(project=project[idx], city=city)
    summary = rng.choice(SUMMARY[lang]).format(
        lead=lead,
        audiences=_join(audiences, lang),
        city=city,
        kind=rng.choice(KINDS[lang]),
        theme=theme,
    )
    return f"{title} {TITLE_MARK}", summary


@dataclass
class _OrgInfo:
    organisation: Organisation
    city: PortCity
    lang: str


def _initiative_rows(
    indices: range,
    orgs: list[_OrgInfo],
    vocab: _Vocab,
    rng: random.Random,
) -> tuple[list[BulkRow], list[tuple[Initiative, str, str, str]]]:
    rows: list[BulkRow] = []
    translations: list[tuple[Initiative, str, str, str]] = []
    statuses = [s for s, _w in STATUS_WEIGHTS]
    weights = [w for _s, w in STATUS_WEIGHTS]
    cumulative = list(itertools.accumulate(weights))
    start = datetime(2019, 1, 1, tzinfo=UTC)
    span_seconds = int((datetime.now(UTC) - start).total_seconds())
    today = date.today()
    reviewed = [today - timedelta(days=d) for d in range(601)]
    labels = {
        lang: {
            "audiences": {a.pk: _label(a, lang).lower() for a in vocab.audiences},
            "themes": {t.pk: _label(t, lang).lower() for t in vocab.themes},
            "goals": {g.pk: _label(g, lang) for g in vocab.goals},
        }
        for lang in ("en", "fr", "es")
    }
    project_slugs = {p[0]: slugify(p[0]) for group in PROJECTS.values() for p in group}
    budgets = list(BudgetBand.values)
    for i in indices:
        if i < len(statuses):
            # The first records make demo organisation 0 own one record in every status.
            info, pub_status = orgs[0], statuses[i]
        else:
            info = orgs[rng.randrange(len(orgs))]
            pub_status = rng.choices(statuses, cum_weights=cumulative)[0]
        org, city = info.organisation, info.city
        lang = info.lang if rng.random() >= 0.2 else rng.choice(("en", "fr", "es"))
        themes = rng.sample(vocab.themes, rng.randint(1, 3))
        goals = rng.sample(vocab.goals, rng.randint(1, 3))
        audiences = rng.sample(vocab.audiences, rng.randint(1, 3))
        project = rng.choice(PROJECTS.get(themes[0].slug, GENERIC_PROJECTS))
        words = labels[lang]
        title, summary = _render(
            lang,
            project,
            city.name,
            org.name,
            words["themes"][themes[0].pk],
            [words["audiences"][a.pk] for a in audiences],
            rng,
        )
        year = rng.randint(2008, 2026)
        status = "completed" if year < 2020 else rng.choice(("ongoing", "ongoing", "completed"))
        if year >= 2026:
            status = "planned"
        published_at = (
            start + timedelta(seconds=rng.randrange(span_seconds))
            if pub_status == PublicationStatus.PUBLISHED
            else None
        )
        initiative = Initiative(
            title=title[:220],
            slug=f"demo-{project_slugs[project[0]]}-{city.slug}-{i}"[:240],
            summary=summary,
            context=rng.choice(CONTEXT[lang]).format(city=city.name),
            actions=" ".join(rng.sample(ACTIONS[lang], 2)),
            results=RESULTS[lang].format(
                people=rng.randrange(200, 20000, 50),
                year=min(year + 1, 2025),
                groups=rng.randint(5, 300),
                rate=rng.randint(70, 98),
            ),
            resources=RESOURCES[lang].format(
                fte=rng.choice((0.5, 1, 2, 3, 5)), budget=rng.choice((20, 45, 80, 150, 400))
            ),
            lessons=f"{rng.choice(LESSONS[lang])} ({words['goals'][goals[0].pk]})",
            port_city=city,
            organisation=org,
            publication_status=str(pub_status),
            published_at=published_at,
            last_reviewed=reviewed[rng.randint(0, 600)],
            start_year=year,
            end_year=year + rng.randint(0, 4) if status == "completed" else None,
            status=status,
            budget_band=rng.choice(budgets),
            funding_sources=rng.choice(FUNDING),
            links=f"https://{org.slug}.{DEMO_DOMAIN}/projects/{i}",
            language=lang,
            external_id=f"demo:initiative:{i}",
            is_demo=True,
        )
        partners = {
            orgs[rng.randrange(len(orgs))].organisation for _ in range(rng.choice((0, 0, 1, 2)))
        }
        partners.discard(org)
        rows.append(
            BulkRow(
                record=initiative,
                links={
                    "themes": themes,
                    "goals": goals,
                    "audiences": audiences,
                    "partners": sorted(partners, key=lambda o: o.pk),
                },
                label=f"demo initiative {i}",
            )
        )
        if rng.random() < 0.1:
            other = rng.choice([x for x in ("en", "fr", "es") if x != lang])
            other_words = labels[other]
            t_title, t_summary = _render(
                other,
                project,
                city.name,
                org.name,
                other_words["themes"][themes[0].pk],
                [other_words["audiences"][a.pk] for a in audiences],
                rng,
            )
            translations.append((initiative, other, t_title[:220], t_summary))
    return rows, translations


def _translations(items: list[tuple[Initiative, str, str, str]]) -> list[InitiativeTranslation]:
    """Checked by the same rules as the editor's translations (the model's)."""
    result = []
    for initiative, language, title, summary in items:
        row = InitiativeTranslation(
            initiative=initiative, language=language, title=title, summary=summary
        )
        row.full_clean(exclude=["initiative"], validate_constraints=False)
        result.append(row)
    return result


def _insert_initiatives(
    indices: range,
    organisations: list[Organisation],
    vocab: _Vocab,
    rng: random.Random,
    batch_size: int,
    report: DemoReport,
) -> None:
    orgs = []
    for o in organisations:
        city = o.port_city
        assert city is not None
        orgs.append(_OrgInfo(o, city, language_for(str(city.country))))
    for chunk_start in range(indices.start, indices.stop, batch_size):
        chunk = range(chunk_start, min(chunk_start + batch_size, indices.stop))
        clock = time.perf_counter()
        rows, translations = _initiative_rows(chunk, orgs, vocab, rng)
        report.seconds["build"] = report.seconds.get("build", 0) + time.perf_counter() - clock
        clock = time.perf_counter()
        with transaction.atomic():
            report.links_created += records_bulk_write(
                model=Initiative, creates=rows, actor=None, reason=DEMO_REASON
            )
            InitiativeTranslation.objects.bulk_create(_translations(translations), batch_size=500)
        report.seconds["write"] = report.seconds.get("write", 0) + time.perf_counter() - clock
        report.initiatives_created += len(rows)
        report.translations_created += len(translations)


def _next_index() -> int:
    highest = -1
    for external_id in Initiative.objects.filter(
        is_demo=True, external_id__startswith="demo:initiative:"
    ).values_list("external_id", flat=True):
        tail = str(external_id).rsplit(":", 1)[1]
        if tail.isdigit():
            highest = max(highest, int(tail))
    return highest + 1


def rebuild_search_index() -> str:
    """Tell the apps that index records (search) that every record was bulk-written: the
    catalogue does not import them (it sits below them in the layers)."""
    answers: list[tuple[Any, Any]] = list(
        records_bulk_written.send(sender=Initiative, record_types=None)
    )
    counts: list[int] = [r for _receiver, r in answers if isinstance(r, int)]
    if not answers:
        return "Search index not rebuilt: no app indexes records."
    return f"Search index rebuilt ({sum(counts)})." if counts else "Search index rebuilt."


def generate_demo(
    *,
    size: int,
    keep_existing: bool = False,
    seed: int = 2026,
    batch_size: int = 5000,
    rebuild_index: bool = True,
    log: Callable[[str], None] | None = None,
) -> DemoReport:
    """Make the demo data set hold `size` demo initiatives. Without `keep_existing` the previous
    demo data is removed first; with it the set is topped up (same size twice adds nothing)."""
    if size < 0:
        raise ValidationError("The size must be zero or more.")
    say = log or (lambda _m: None)
    report = DemoReport()
    clock = time.perf_counter()
    if not Theme.objects.exists():
        load_vocabulary(lambda n: apps.get_model("core", n))
    if not keep_existing:
        report.deleted_initiatives = delete_demo()
        say(f"Removed {report.deleted_initiatives} previous demo initiatives.")
    report.seconds["delete"] = time.perf_counter() - clock

    existing = Initiative.objects.filter(is_demo=True).count()
    missing = max(size - existing, 0)
    rng = random.Random(seed * 1_000_003 + existing)
    vocab = _Vocab(
        list(Theme.objects.all()), list(Goal.objects.all()), list(Audience.objects.all())
    )

    clock = time.perf_counter()
    with transaction.atomic():
        cities = _cities(min(len(PORT_CITIES), 8 + size // 500), report)
        if not cities:
            raise ValidationError("No demo port city could be found in the GeoNames data.")
        orgs = _organisations(min(3000, 7 + size // 40), cities, report)
        _port_centers(min(len(cities), 3 + size // 400), orgs, rng, report)
    report.seconds["setup"] = time.perf_counter() - clock
    say(
        f"Demo set-up: {len(cities)} port cities ({report.cities_created} new), "
        f"{len(orgs)} organisations ({report.organisations_created} new), "
        f"{report.port_centers_created} new Port Centers."
    )

    clock, cpu = time.perf_counter(), time.process_time()
    if missing:
        start = _next_index()
        _insert_initiatives(range(start, start + missing), orgs, vocab, rng, batch_size, report)
    report.seconds["initiatives"] = time.perf_counter() - clock
    # This process's CPU (not the database server's): what other work on the machine does not
    # inflate the way it inflates the wall clock.
    report.seconds["initiatives_cpu"] = time.process_time() - cpu
    report.demo_initiatives = existing + report.initiatives_created
    say(
        f"{report.initiatives_created} demo initiatives created "
        f"({report.translations_created} translations, {report.links_created} links) in "
        f"{report.seconds['initiatives']:.1f} s ({report.seconds['initiatives_cpu']:.1f} s of "
        f"CPU); {report.demo_initiatives} demo initiatives in all."
    )

    clock = time.perf_counter()
    if rebuild_index and (
        report.initiatives_created or report.deleted_initiatives or report.port_centers_created
    ):
        report.index_message = rebuild_search_index()
        say(report.index_message)
    report.seconds["index"] = time.perf_counter() - clock
    return report


def demo_editor_organisation() -> Organisation | None:
    """The demo organisation that owns a record in every publication status."""
    return Organisation.objects.filter(is_demo=True, external_id="demo:org:0").first()
