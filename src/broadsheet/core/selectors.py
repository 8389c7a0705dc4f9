from django.core.cache import cache

from broadsheet.core.models import SiteSettings

SITE_SETTINGS_CACHE_KEY = "core:site-settings"


def get_site_settings() -> SiteSettings:
    """Every page needs these; keep them in the cache rather than query each time."""
    site = cache.get(SITE_SETTINGS_CACHE_KEY)
    if site is None:
        site = SiteSettings.objects.select_related("logo").filter(pk=1).first()
        site = site or SiteSettings.objects.create(pk=1)
        cache.set(SITE_SETTINGS_CACHE_KEY, site, timeout=None)
    return site
