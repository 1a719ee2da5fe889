"""Port Center profiles and initiatives (projects and good practices), the heart of the catalogue.

Both are owned by one organisation, move through a publication workflow (draft → submitted →
published, or changes requested / rejected), keep a full history (django-simple-history) and a
"last reviewed" date used to flag stale records to their owners."""

from __future__ import annotations

from datetime import timedelta
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portolan.core.fields import (
    LONG_TEXT_MAX,
    MAX_INT,
    URL_LIST_MAX,
    PlainCharField,
    PlainTextField,
    URLListField,
    YearField,
    choices_check,
    length_check,
    year_range_check,
)
from portolan.core.languages import ContentLanguage  # noqa: F401 - re-exported for the app

SUMMARY_MAX = 1200
MESSAGE_MAX = 4000
LATITUDE_MESSAGE = _("Latitude is between -90 and 90.")
LONGITUDE_MESSAGE = _("Longitude is between -180 and 180.")
BOTH_COORDINATES_MESSAGE = _("Give both latitude and longitude.")
END_BEFORE_START_MESSAGE = _("The end year cannot be before the start year.")
TOO_LARGE_MESSAGE = _("This number is too large.")


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    PUBLISHED = "published", _("Published")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    REJECTED = "rejected", _("Rejected")


class PortCenterStatus(models.TextChoices):
    PROJECT = "project", _("Project")
    UNDER_CONSTRUCTION = "under_construction", _("Under construction")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Offer(models.TextChoices):
    EXHIBITION = "exhibition", _("Permanent exhibition")
    TEMPORARY_EXHIBITION = "temporary_exhibition", _("Temporary exhibitions")
    BOAT_TOURS = "boat_tours", _("Boat tours")
    BUS_TOURS = "bus_tours", _("Bus tours")
    SCHOOL_PROGRAMMES = "school_programmes", _("School programmes")
    JOB_DISCOVERY = "job_discovery", _("Job and trade discovery")
    EVENTS = "events", _("Talks and events")
    DIGITAL_VISITS = "digital_visits", _("Digital or VR visits")


class InitiativeStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Ongoing")
    COMPLETED = "completed", _("Completed")


class BudgetBand(models.TextChoices):
    UNKNOWN = "", _("Not stated")
    UNDER_50K = "lt50k", _("Under €50,000")
    FROM_50K = "50k-250k", _("€50,000 – €250,000")
    FROM_250K = "250k-1m", _("€250,000 – €1 million")
    FROM_1M = "1m-10m", _("€1 – 10 million")
    OVER_10M = "gt10m", _("Over €10 million")


class PublishableQuerySet(models.QuerySet):
    def published(self) -> PublishableQuerySet:
        return self.filter(publication_status=PublicationStatus.PUBLISHED)


class Publishable(models.Model):
    """Fields shared by the two kinds of record members write."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("owner organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    publication_status = models.CharField(
        _("publication status"),
        max_length=20,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
    )
    last_reviewed = models.DateField(_("last reviewed"), default=timezone.localdate)
    published_at = models.DateTimeField(_("first published"), null=True, blank=True)
    external_id = models.CharField(max_length=80, unique=True, null=True, blank=True)
    is_demo = models.BooleanField(default=False, help_text=_("Generated demo record."))
    # The record's links (themes, goals, audiences, partner/operator organisations) as stable
    # keys, written by the services on every save: many-to-many rows are not versioned by
    # django-simple-history, this field is, so the history shows and restores them too.
    linked = models.JSONField(_("linked records"), default=dict, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PublishableQuerySet.as_manager()

    # What differs between the kinds of record, said once here instead of in `isinstance`
    # branches: the registry key, the URL segment, the field naming the record, the name of the
    # foreign key that attachments and moderation events use, the edit page, and the links
    # (many-to-many field -> the attribute that identifies a linked object).
    record_type: ClassVar[str]
    segment: ClassVar[str]
    title_field: ClassVar[str]
    owner_field: ClassVar[str]
    edit_url_name: ClassVar[str]
    link_keys: ClassVar[dict[str, str]]
    # What a member writes, in the order the editor and the API show it; the forms, the API
    # bodies and the editor's initial values are made from this list.
    editable_fields: ClassVar[tuple[str, ...]]

    class Meta:
        abstract = True

    @property
    def display_title(self) -> str:
        return str(getattr(self, self.title_field))

    def get_edit_url(self) -> str:
        return reverse(self.edit_url_name, kwargs={"slug": self.slug})  # type: ignore[attr-defined]

    def owned(self) -> dict[str, Publishable]:
        """Keyword arguments naming this record on an attachment or a moderation event."""
        return {self.owner_field: self}

    @property
    def is_published(self) -> bool:
        return self.publication_status == PublicationStatus.PUBLISHED

    @property
    def is_stale(self) -> bool:
        limit = timezone.localdate() - timedelta(days=settings.PORTOLAN_STALE_AFTER_DAYS)
        return self.last_reviewed < limit


class PortCenter(Publishable):
    record_type = "port_center"
    segment = "port-centers"
    title_field = "name"
    owner_field = "port_center"
    edit_url_name = "catalogue:port_center_edit"
    link_keys = {"operators": "slug", "audiences": "slug"}
    editable_fields = (
        "name",
        "port_city",
        "status",
        "description",
        "operators",
        "operator_text",
        "opening_year",
        "charter_signed_year",
        "governance_model",
        "surface_m2",
        "staff_fte",
        "visitors_per_year",
        "visitors_year_of_figure",
        "audiences",
        "offers",
        "languages",
        "address",
        "latitude",
        "longitude",
        "website",
        "contact_email",
        "notes",
        "sources",
    )

    name = PlainCharField(_("name"), max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    port_city = models.ForeignKey(
        "places.PortCity",
        verbose_name=_("port city"),
        on_delete=models.PROTECT,
        related_name="port_centers",
    )
    operators = models.ManyToManyField(
        "accounts.Organisation",
        verbose_name=_("operator organisations"),
        related_name="operated_port_centers",
        blank=True,
    )
    operator_text = PlainCharField(
        _("operator(s) as stated"),
        max_length=300,
        blank=True,
        help_text=_("Free text, e.g. how the sources describe the operating body."),
    )
    opening_year = YearField(_("opening year"), null=True, blank=True)
    charter_signed_year = YearField(_("Missions Charter signed"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=PortCenterStatus.choices, blank=True
    )
    governance_model = PlainCharField(_("governance model"), max_length=300, blank=True)
    surface_m2 = models.PositiveIntegerField(
        _("surface (m²)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_INT, message=TOO_LARGE_MESSAGE)],
    )
    staff_fte = models.DecimalField(
        _("staff (FTE)"),
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    visitors_per_year = models.PositiveIntegerField(
        _("visitors per year"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_INT, message=TOO_LARGE_MESSAGE)],
    )
    visitors_year_of_figure = YearField(_("year of the visitor figure"), null=True, blank=True)
    audiences = models.ManyToManyField("core.Audience", verbose_name=_("audiences"), blank=True)
    offers = models.JSONField(_("offers"), default=list, blank=True)
    languages = PlainCharField(
        _("languages spoken"), max_length=120, blank=True, help_text=_("Comma-separated.")
    )
    description = PlainTextField(_("description"), blank=True)
    address = PlainCharField(_("address"), max_length=300, blank=True)
    latitude = models.FloatField(
        _("latitude"),
        null=True,
        blank=True,
        validators=[
            MinValueValidator(-90, message=LATITUDE_MESSAGE),
            MaxValueValidator(90, message=LATITUDE_MESSAGE),
        ],
    )
    longitude = models.FloatField(
        _("longitude"),
        null=True,
        blank=True,
        validators=[
            MinValueValidator(-180, message=LONGITUDE_MESSAGE),
            MaxValueValidator(180, message=LONGITUDE_MESSAGE),
        ],
    )
    website = models.URLField(_("website"), blank=True)
    contact_email = models.EmailField(
        _("public contact e-mail"),
        blank=True,
        help_text=_("An organisation's address, never a person's private one."),
    )
    notes = PlainCharField(_("notes"), max_length=300, blank=True)
    # A source is a web address or, for a document that has none, its reference as text.
    sources = PlainTextField(
        _("public sources"),
        max_length=URL_LIST_MAX,
        blank=True,
        help_text=_("One URL per line."),
    )
    is_reference = models.BooleanField(
        default=False, help_text=_("Loaded from the sourced reference data.")
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["name"]
        verbose_name = _("Port Center")
        verbose_name_plural = _("Port Centers")
        indexes = [models.Index(fields=["publication_status", "-published_at"])]
        constraints = [
            choices_check("publication_status", PublicationStatus, "portcenter_publication_status"),
            models.CheckConstraint(
                condition=models.Q(status="") | models.Q(status__in=PortCenterStatus.values),
                name="portcenter_status_choice",
            ),
            year_range_check("opening_year", "portcenter_opening_year_range"),
            year_range_check("charter_signed_year", "portcenter_charter_year_range"),
            year_range_check("visitors_year_of_figure", "portcenter_visitors_year_range"),
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(
                    latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180
                ),
                name="portcenter_coordinates_valid",
            ),
            models.CheckConstraint(condition=~models.Q(name=""), name="portcenter_name_required"),
            length_check("description", LONG_TEXT_MAX, "portcenter_description_length"),
            models.CheckConstraint(
                condition=models.Q(staff_fte__isnull=True) | models.Q(staff_fte__gte=0),
                name="portcenter_staff_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalogue:port_center", kwargs={"slug": self.slug})

    def clean(self) -> None:
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError({"latitude": BOTH_COORDINATES_MESSAGE})

    @property
    def source_list(self) -> list[str]:
        return [line.strip() for line in self.sources.split() if line.strip()]

    @property
    def offer_labels(self) -> list[str]:
        labels = dict(Offer.choices)
        return [str(labels[o]) for o in self.offers if o in labels]

    @property
    def point(self) -> tuple[float, float] | None:
        if self.latitude is not None and self.longitude is not None:
            return (self.latitude, self.longitude)
        if self.port_city_id:
            return (self.port_city.latitude, self.port_city.longitude)
        return None


class Initiative(Publishable):
    record_type = "initiative"
    segment = "initiatives"
    title_field = "title"
    owner_field = "initiative"
    edit_url_name = "catalogue:initiative_edit"
    link_keys = {"partners": "slug", "themes": "slug", "goals": "number", "audiences": "slug"}
    editable_fields = (
        "title",
        "summary",
        "language",
        "port_city",
        "context",
        "actions",
        "results",
        "resources",
        "lessons",
        "partners",
        "themes",
        "goals",
        "audiences",
        "start_year",
        "end_year",
        "status",
        "budget_band",
        "funding_sources",
        "links",
    )

    title = PlainCharField(_("title"), max_length=220)
    slug = models.SlugField(max_length=240, unique=True)
    summary = PlainTextField(_("summary"), max_length=SUMMARY_MAX)
    context = PlainTextField(_("context and challenge"), blank=True)
    actions = PlainTextField(_("what was done"), blank=True)
    results = PlainTextField(_("results and measurable evidence"), blank=True)
    resources = PlainTextField(_("resources needed"), blank=True)
    lessons = PlainTextField(_("lessons and potential for transfer"), blank=True)
    port_city = models.ForeignKey(
        "places.PortCity",
        verbose_name=_("port city"),
        on_delete=models.PROTECT,
        related_name="initiatives",
    )
    partners = models.ManyToManyField(
        "accounts.Organisation",
        verbose_name=_("partner organisations"),
        related_name="partner_initiatives",
        blank=True,
    )
    themes = models.ManyToManyField("core.Theme", verbose_name=_("themes"), blank=True)
    goals = models.ManyToManyField("core.Goal", verbose_name=_("Agenda 2030 goals"), blank=True)
    audiences = models.ManyToManyField("core.Audience", verbose_name=_("audiences"), blank=True)
    start_year = YearField(_("start year"), null=True, blank=True)
    end_year = YearField(_("end year"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=InitiativeStatus.choices, default="ongoing"
    )
    budget_band = models.CharField(
        _("budget"), max_length=10, choices=BudgetBand.choices, blank=True, default=""
    )
    funding_sources = PlainCharField(_("funding sources"), max_length=300, blank=True)
    links = URLListField(_("links"), blank=True, help_text=_("One URL per line."))
    language = models.CharField(
        _("language of the text"), max_length=5, choices=ContentLanguage.choices, default="en"
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        indexes = [
            models.Index(fields=["publication_status", "-published_at"]),
            models.Index(fields=["organisation", "publication_status"]),
            # Port city pages and "same city" lists: newest published initiatives of one city.
            models.Index(fields=["port_city", "publication_status", "-published_at"]),
        ]
        constraints = [
            choices_check("publication_status", PublicationStatus, "initiative_publication_status"),
            choices_check("status", InitiativeStatus, "initiative_status_choice"),
            choices_check("budget_band", BudgetBand, "initiative_budget_band_choice"),
            choices_check("language", ContentLanguage, "initiative_language_choice"),
            year_range_check("start_year", "initiative_start_year_range"),
            year_range_check("end_year", "initiative_end_year_range"),
            models.CheckConstraint(
                condition=models.Q(start_year__isnull=True)
                | models.Q(end_year__isnull=True)
                | models.Q(end_year__gte=models.F("start_year")),
                name="initiative_end_not_before_start",
            ),
            models.CheckConstraint(condition=~models.Q(title=""), name="initiative_title_required"),
            models.CheckConstraint(
                condition=~models.Q(summary=""), name="initiative_summary_required"
            ),
            length_check("summary", SUMMARY_MAX, "initiative_summary_length"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("catalogue:initiative", kwargs={"slug": self.slug})

    def clean(self) -> None:
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError({"end_year": END_BEFORE_START_MESSAGE})

    @property
    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.split() if line.strip()]


class InitiativeTranslation(models.Model):
    """A translation of an initiative's title and summary, made by its owners."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="translations"
    )
    language = models.CharField(_("language"), max_length=5, choices=ContentLanguage.choices)
    title = PlainCharField(_("title"), max_length=220)
    summary = PlainTextField(_("summary"), max_length=SUMMARY_MAX)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "language"], name="unique_translation_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.initiative_id} [{self.language}]"


class AttachmentKind(models.TextChoices):
    IMAGE = "image", _("Image")
    DOCUMENT = "document", _("Document (PDF)")


class Attachment(models.Model):
    """An image or PDF attached to one record. Files live under MEDIA_ROOT (outside the static
    tree) and are served by a view that applies the record's visibility."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    port_center = models.ForeignKey(
        PortCenter, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    kind = models.CharField(max_length=10, choices=AttachmentKind.choices)
    file = models.FileField(upload_to="attachments/%Y/%m/")
    title = PlainCharField(_("title"), max_length=200)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(initiative__isnull=False, port_center__isnull=True)
                    | models.Q(initiative__isnull=True, port_center__isnull=False)
                ),
                name="attachment_has_exactly_one_record",
            )
        ]

    def __str__(self) -> str:
        return self.title


class ModerationAction(models.TextChoices):
    SUBMIT = "submit", _("Submitted")
    APPROVE = "approve", _("Approved")
    REQUEST_CHANGES = "request_changes", _("Changes requested")
    REJECT = "reject", _("Rejected")
    RESTORE = "restore", _("Restored from history")


class ModerationEvent(models.Model):
    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, null=True, blank=True, related_name="moderation"
    )
    port_center = models.ForeignKey(
        PortCenter, on_delete=models.CASCADE, null=True, blank=True, related_name="moderation"
    )
    action = models.CharField(max_length=20, choices=ModerationAction.choices)
    message = PlainTextField(max_length=MESSAGE_MAX, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.action} {self.created_at:%Y-%m-%d}"
