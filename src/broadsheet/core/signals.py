"""What core announces to the apps above it, which it must not import.

`site_settings_saved` is sent by `core.services.save_site_settings` inside its transaction,
after the row is written, with `site` and `changed` (the names of the fields whose values
changed). A receiver's writes are part of the same transaction: if one fails, the settings
are not saved either. Apps connect their receivers in their `AppConfig.ready`.
"""

from django.dispatch import Signal

site_settings_saved = Signal()
