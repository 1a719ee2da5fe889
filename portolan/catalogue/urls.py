"""One namespace, two owners: public pages (urls_public) and member/staff pages (urls_editor)."""

from . import urls_editor, urls_public

app_name = "catalogue"
urlpatterns = [*urls_public.urlpatterns, *urls_editor.urlpatterns]
