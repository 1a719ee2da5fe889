from django.urls import path, re_path

from . import views

app_name = "opendata"
urlpatterns = [
    path("", views.index, name="index"),
    re_path(r"^export\.(?P<fmt>csv|xlsx|json|geojson)$", views.export, name="export"),
    path("import/", views.import_records, name="import"),
    re_path(
        r"^import/template-(?P<kind>organisations|port-centers|initiatives)\.(?P<fmt>csv|xlsx)$",
        views.import_template,
        name="import_template",
    ),
]
