"""Counting views: what counts as one (`services`), the in-memory buffer and its flush thread
(`recorder`), daily totals, referrals and salted reader marks (`models`, rolled up by
`rollup`), and the staff stats pages at `/stats/` (`views`, `selectors`, the SVG `charts`)."""
