"""The settings: `settings` builds every one from `BROADSHEET_*` environment variables
(SQLite in the data folder unless a database URL is given), `test_settings` adjusts them
for the tests."""
