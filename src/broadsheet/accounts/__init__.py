"""People who sign in with a password: the custom `User` with its public author profile and
staff `role`; `permissions` (the one place that says who may do what); the people actions
(`services`: roles, ownership, profile, suspension), invitations, two-factor codes; the
login, password and account pages, and the staff pages at `/studio/staff/`."""
