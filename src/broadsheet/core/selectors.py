from broadsheet.core.board import board
from broadsheet.core.models import SiteSettings

# (content generation, settings) as this process last read them.
_site_settings: tuple[int, SiteSettings] | None = None


def get_site_settings() -> SiteSettings:
    """Every request needs these: read once per content generation, not once per request.

    Every save of the settings moves the shared generation on after it commits
    (`fastpath.invalidation`), so each process reads the new row at its next request, and
    a copy read before a save can never outlive it. Treat the result as read-only; to
    change the settings, edit `editable_site_settings()` and save it with
    `core.services.save_site_settings`.
    """
    global _site_settings
    current = board().read().content
    if _site_settings is None or _site_settings[0] != current:
        _site_settings = (current, editable_site_settings())
    return _site_settings[1]


def editable_site_settings() -> SiteSettings:
    """A fresh copy of the one row (made on first use, as after `migrate`)."""
    site = SiteSettings.objects.select_related("logo").filter(pk=1).first()
    return site or SiteSettings.objects.create(pk=1)


def forget_site_settings() -> None:
    """This process reads them again at once (the generation tells the others)."""
    global _site_settings
    _site_settings = None
