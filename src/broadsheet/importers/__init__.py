"""Bringing a blog in: one reader per source format turns it into records (`records`),
and one writer (`writer`) puts records on the site through the content actions.

A reader never touches the database; the writer never knows which format it reads.
"""
