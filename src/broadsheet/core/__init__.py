"""What every app stands on. It imports no app but `accounts` (for its permissions), and
hears from the apps above only through `signals`: the shared board of numbers, the site
settings (`SiteSettings`, read through `selectors`, saved by `services.save_site_settings`),
markup and sanitizing, client addresses and site origin, rate limits, unique slugs,
pagination, number parsing, form-only uploads, same-origin checks, the staff-page door
(`staff.staff_view`), database statistics, and the `serve` and `worker` commands."""
