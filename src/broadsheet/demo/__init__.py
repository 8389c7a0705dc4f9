"""The demo: its own writing (`content`), the loader that fills an empty site through the
real actions (`loader`, `broadsheet demo`), and the large synthetic site for benchmarks
(`generator`, `broadsheet generate`)."""
