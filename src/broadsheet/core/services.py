from broadsheet.core.models import SiteSettings
from broadsheet.core.selectors import forget_site_settings


def save_site_settings(site: SiteSettings) -> SiteSettings:
    """Save the one row. Other processes see it when the save moves the generation on."""
    site.pk = 1
    site.save()
    forget_site_settings()
    return site
