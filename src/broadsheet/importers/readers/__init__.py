"""One module per source format; each defines a `Reader` subclass listed in `READERS`."""
