from django import template

from broadsheet.accounts import permissions

register = template.Library()


@register.filter
def can(user, action: str) -> bool:
    """`{% if request.user|can:"manage_settings" %}`: the same rule the server enforces."""
    return permissions.can(user, permissions.Action(action))
