"""The shared vocabularies, with their labels in the three languages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from portolan.core.models import Audience, Goal, Mission, Theme

from ..pagination import Page, single_page
from ..schemas import NumberedTermOut, TermOut
from .common import responses

router = Router(tags=["vocabulary"])


@router.get("/goals", response=responses(Page[NumberedTermOut]), summary="Agenda 2030 goals")
def list_goals(request: HttpRequest) -> Any:
    return single_page(list(Goal.objects.all()))


@router.get("/missions", response=responses(Page[NumberedTermOut]), summary="Charter missions")
def list_missions(request: HttpRequest) -> Any:
    return single_page(list(Mission.objects.all()))


@router.get("/themes", response=responses(Page[TermOut]), summary="Themes")
def list_themes(request: HttpRequest) -> Any:
    return single_page(list(Theme.objects.all()))


@router.get("/audiences", response=responses(Page[TermOut]), summary="Audiences")
def list_audiences(request: HttpRequest) -> Any:
    return single_page(list(Audience.objects.all()))
