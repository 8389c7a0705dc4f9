"""Predictions on the record: forecasts stated in posts (`blocks`), kept and resolved in
the open (`models`, `services`), and each author's score (`scoring`)."""
