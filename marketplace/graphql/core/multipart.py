"""The GraphQL multipart request spec for ``/graphql/`` (file uploads), with bad requests as 400.

graphene-file-upload (1.3) works with graphene 3: its ``Upload`` scalar and its
``place_files_in_operations`` are used as they are. Its view is not: a malformed ``operations`` or
``map`` field makes it raise, which would be a 500. This mixin does the same parsing and answers
such a request with a 400 and a GraphQL-shaped error. It is generic (nothing here is about photos):
``marketplace.graphql.views.GraphQLView`` should mix it in first::

    class GraphQLView(MultipartUploadMixin, BaseGraphQLView): ...
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponseBadRequest
from graphene_django.views import HttpError
from graphene_file_upload.utils import place_files_in_operations


class MultipartUploadMixin:
    def parse_body(self, request: HttpRequest) -> Any:
        content_type = self.get_content_type(request)  # type: ignore[attr-defined]
        if content_type == "multipart/form-data" and "operations" in request.POST:
            try:
                operations = json.loads(request.POST["operations"])
                files_map = json.loads(request.POST.get("map") or "{}")
                if not isinstance(files_map, dict) or not isinstance(operations, dict | list):
                    raise TypeError("operations must be an object, map an object")
                return place_files_in_operations(operations, files_map, request.FILES)
            except (ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
                raise HttpError(
                    HttpResponseBadRequest(
                        f"Malformed multipart GraphQL request (operations/map): {exc}"
                    )
                ) from exc
        return super().parse_body(request)  # type: ignore[misc]
