"""Who may do what: the one place the studio, the services and (later) the APIs ask.

The roles and their rights follow Ghost's, which writers already know:

- contributor: writes and edits their own drafts and submits them for review; cannot
  publish, and cannot touch a post once it is published.
- author: publishes, schedules, edits and trashes their own posts; creates tags; sees
  the stats of their own posts.
- editor: all of the above on everyone's posts; manages tags, pages and comments;
  invites and manages authors and contributors; sees the stats of the whole site.
- administrator: everything an editor can, plus site settings, all staff but the owner,
  and Django's admin.
- owner: everything, and is the only one who can hand ownership to someone else.

Every check takes the acting user first; a user without a role (a reader) may do none.
"""

from enum import StrEnum
from typing import TYPE_CHECKING, TypeGuard

from broadsheet.accounts.models import Role, User

if TYPE_CHECKING:
    from broadsheet.content.models import Post
    from broadsheet.core.models import SiteSettings
    from broadsheet.media.models import Image
    from broadsheet.predictions.models import Prediction


class Action(StrEnum):
    USE_STUDIO = "use_studio"
    CREATE_POST = "create_post"
    VIEW_ALL_POSTS = "view_all_posts"
    WRITE_FOR_OTHERS = "write_for_others"  # a post in someone else's name (the Admin API)
    MANAGE_TAGS = "manage_tags"
    CREATE_TAG = "create_tag"
    MANAGE_PAGES = "manage_pages"
    MODERATE_COMMENTS = "moderate_comments"
    UPLOAD_MEDIA = "upload_media"
    VIEW_STATS = "view_stats"
    MANAGE_SETTINGS = "manage_settings"
    LIST_STAFF = "list_staff"
    TRANSFER_OWNERSHIP = "transfer_ownership"
    USE_ADMIN = "use_admin"  # Django's admin: every table, unchecked by the services' rules
    # Community: comments and the newsletter.
    BLOCK_SENDER = "block_sender"
    SEND_NEWSLETTER = "send_newsletter"  # also the studio's newsletter pages
    VIEW_SITE_STATS = "view_site_stats"  # every writer's; VIEW_STATS alone is one's own posts
    # Moving in and out: a whole site's content (and its subscribers, on export).
    IMPORT_CONTENT = "import_content"
    EXPORT_CONTENT = "export_content"
    # Outside systems: API keys (which act with a role of their own) and their webhooks.
    MANAGE_INTEGRATIONS = "manage_integrations"
    # Predictions: the studio's list of one's own; resolving everyone's.
    RESOLVE_PREDICTIONS = "resolve_predictions"
    RESOLVE_ALL_PREDICTIONS = "resolve_all_predictions"


# The lowest role allowed each action that has no object to judge.
_MINIMUM_ROLE = {
    Action.USE_STUDIO: Role.CONTRIBUTOR,
    Action.CREATE_POST: Role.CONTRIBUTOR,
    Action.UPLOAD_MEDIA: Role.CONTRIBUTOR,
    Action.CREATE_TAG: Role.AUTHOR,
    Action.VIEW_STATS: Role.AUTHOR,
    Action.VIEW_ALL_POSTS: Role.EDITOR,
    Action.WRITE_FOR_OTHERS: Role.EDITOR,
    Action.MANAGE_TAGS: Role.EDITOR,
    Action.MANAGE_PAGES: Role.EDITOR,
    Action.MODERATE_COMMENTS: Role.EDITOR,
    Action.LIST_STAFF: Role.EDITOR,
    Action.MANAGE_SETTINGS: Role.ADMINISTRATOR,
    Action.USE_ADMIN: Role.ADMINISTRATOR,
    Action.TRANSFER_OWNERSHIP: Role.OWNER,
    # Community: editors, as for moderating comments.
    Action.BLOCK_SENDER: Role.EDITOR,
    Action.SEND_NEWSLETTER: Role.EDITOR,
    Action.VIEW_SITE_STATS: Role.EDITOR,
    Action.IMPORT_CONTENT: Role.ADMINISTRATOR,
    Action.EXPORT_CONTENT: Role.ADMINISTRATOR,
    Action.MANAGE_INTEGRATIONS: Role.ADMINISTRATOR,
    Action.RESOLVE_PREDICTIONS: Role.CONTRIBUTOR,
    Action.RESOLVE_ALL_PREDICTIONS: Role.EDITOR,
}


def rank(user: User | None) -> int:
    if user is None or not user.is_authenticated or not user.is_active:
        return 0
    return Role.rank(user.role)


def at_least(user: User | None, role: str) -> TypeGuard[User]:
    # True only for a user (rank(None) is 0), which the type checker may then rely on.
    return rank(user) >= Role.rank(role) > 0


def can(user: User | None, action: Action) -> TypeGuard[User]:
    return at_least(user, _MINIMUM_ROLE[action])


def _owns(user: User, post: "Post") -> bool:
    return post.author_id == user.pk


def can_edit_post(user: User | None, post: "Post") -> bool:
    """Editors edit anything; authors their own; contributors their own unpublished work."""
    if at_least(user, Role.EDITOR):
        return True
    if at_least(user, Role.AUTHOR):
        return _owns(user, post)
    if at_least(user, Role.CONTRIBUTOR):
        return _owns(user, post) and post.status in ("draft", "review") and not post.published_at
    return False


def can_publish_post(user: User | None, post: "Post") -> bool:
    """Publishing, scheduling and unpublishing: authors for their own posts, editors for all."""
    return at_least(user, Role.EDITOR) or (at_least(user, Role.AUTHOR) and _owns(user, post))


def can_trash_post(user: User | None, post: "Post") -> bool:
    """Whoever may edit a post may move it to the trash (a contributor only their drafts)."""
    return can_edit_post(user, post)


def can_view_post_in_studio(user: User | None, post: "Post") -> bool:
    return can(user, Action.VIEW_ALL_POSTS) or (
        at_least(user, Role.CONTRIBUTOR) and _owns(user, post)
    )


def can_invite(user: User | None, role: str) -> bool:
    """Editors invite authors and contributors; administrators anyone but an owner."""
    if role == Role.OWNER or role not in Role.values:
        return False
    if at_least(user, Role.ADMINISTRATOR):
        return True
    return at_least(user, Role.EDITOR) and role in (Role.AUTHOR, Role.CONTRIBUTOR)


def can_manage_staff_member(user: User | None, target: User) -> bool:
    """Change the role of, or suspend, `target`. Nobody manages themselves or the owner here."""
    if user is None or target.pk == user.pk or target.role == Role.OWNER:
        return False
    return can_invite(user, target.role) if target.role else at_least(user, Role.ADMINISTRATOR)


def can_comment_on(post: "Post", site: "SiteSettings") -> bool:
    """Anyone, reader or staff, signed in or not, comments on a public post while the site
    takes comments (its comment policy is not "closed"). The caller passes the site's
    settings, so that this module imports nothing above the accounts' models."""
    return post.is_published and site.comments_open


def can_change_role(user: User | None, target: User, role: str) -> bool:
    """Give `target` (as they are now) the role `role`: whoever manages them, within what
    they may invite."""
    return can_manage_staff_member(user, target) and can_invite(user, role)


def is_staff_account(user: User) -> bool:
    """A staff account, suspended or not (a role, or Django's staff flags): it signs in with
    a password, is managed in the studio, and its visits are not a reader's."""
    return bool(user.role or user.is_staff or user.is_superuser)


def can_manage_image(user: User | None, image: "Image") -> bool:
    """Change or delete an image: whoever uploaded it (while still on the staff), or an editor."""
    if at_least(user, Role.EDITOR):
        return True
    return (
        can(user, Action.UPLOAD_MEDIA)
        and image.uploaded_by_id is not None
        and image.uploaded_by_id == user.pk
    )


def can_view_post_stats(user: User | None, post: "Post") -> bool:
    """A post's stats page: editors and up for every post, authors for their own."""
    return can(user, Action.VIEW_SITE_STATS) or (can(user, Action.VIEW_STATS) and _owns(user, post))


def can_resolve_prediction(user: User | None, prediction: "Prediction") -> bool:
    """Resolve, or correct the resolution of, a prediction: the writer whose record it is
    on (while on the staff), or an editor and up."""
    return can(user, Action.RESOLVE_ALL_PREDICTIONS) or (
        can(user, Action.RESOLVE_PREDICTIONS) and prediction.author_id == user.pk
    )


def can_delete_member(user: User | None, member: User) -> bool:
    """Delete a member's account (their comments and subscription go with it): only the
    member themselves; staff accounts are managed in the studio, never deleted this way."""
    return (
        user is not None
        and user.is_authenticated
        and user.pk == member.pk
        and not is_staff_account(member)
    )
