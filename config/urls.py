from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from portolan.catalogue import views_public as catalogue_views
from portolan.core import views as core_views

handler400 = "portolan.core.views.bad_request"
handler403 = "portolan.core.views.permission_denied"
handler404 = "portolan.core.views.page_not_found"
handler500 = "portolan.core.views.server_error"

# Language-neutral endpoints: machines do not need a language prefix.
urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz/", core_views.healthz, name="healthz"),
    path("floor/", core_views.floor, name="floor"),
    path("api/", include("portolan.api.urls")),
    path("", include("portolan.opendata.urls_root")),
]

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("accounts/", include("portolan.accounts.urls")),
    path("account/tokens/", include("portolan.api.urls_ui")),
    path("places/", include("portolan.catalogue.urls_places")),
    path("search/", include("portolan.search.urls")),
    path("open-data/", include("portolan.opendata.urls")),
    path("feeds/", include("portolan.opendata.urls_feeds")),
    path("catalogue/", include("portolan.catalogue.urls")),
    path("notifications/", include("portolan.notifications.urls")),
    path("", catalogue_views.home, name="home"),
    path("", include("portolan.core.urls")),
    prefix_default_language=True,
)
