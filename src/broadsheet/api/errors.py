"""Errors as Ghost's clients read them: `{"errors": [{"message", "type", ...}]}` with the
status Ghost gives. `@tryghost/content-api` and `admin-api` raise an Error named after
`type`, so the types are Ghost's own names."""

from django.http import JsonResponse


class ApiError(Exception):
    status = 400
    type = "BadRequestError"

    def __init__(self, message: str, *, context: str | None = None, code: str | None = None):
        super().__init__(message)
        self.message, self.context, self.code = message, context, code

    def response(self) -> JsonResponse:
        error = {"message": self.message, "context": self.context, "type": self.type}
        if self.code:
            error["code"] = self.code
        response = JsonResponse({"errors": [error]}, status=self.status)
        response["Cache-Control"] = "no-store"
        return response


class BadRequest(ApiError):
    pass


class Unauthorized(ApiError):
    status, type = 401, "UnauthorizedError"


class NoPermission(ApiError):
    status, type = 403, "NoPermissionError"


class NotFound(ApiError):
    status, type = 404, "NotFoundError"


class MethodNotAllowed(ApiError):
    status, type = 405, "MethodNotAllowedError"


class UpdateCollision(ApiError):
    status, type = 409, "UpdateCollisionError"


class TooLarge(ApiError):
    status, type = 413, "RequestEntityTooLargeError"


class UnsupportedMediaType(ApiError):
    status, type = 415, "UnsupportedMediaTypeError"


class Invalid(ApiError):
    status, type = 422, "ValidationError"


class TooManyRequests(ApiError):
    status, type = 429, "TooManyRequestsError"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after

    def response(self) -> JsonResponse:
        response = super().response()
        response["Retry-After"] = str(self.retry_after)
        return response
