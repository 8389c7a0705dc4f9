from django.core.cache import cache

from broadsheet.core.models import SiteSettings
from broadsheet.core.selectors import SITE_SETTINGS_CACHE_KEY


def save_site_settings(site: SiteSettings) -> SiteSettings:
    site.pk = 1
    site.save()
    cache.delete(SITE_SETTINGS_CACHE_KEY)
    return site
