# SPDX-License-Identifier: EUPL-1.2
"""Uploads stay in memory until they are encrypted: never a plain copy in a temporary file.

Django writes request bodies above FILE_UPLOAD_MAX_MEMORY_SIZE to /tmp in plain text. Signal
attachments must never exist unencrypted on disk, so this handler keeps every upload in memory
and refuses a request whose body is larger than the attachments it may carry.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import MemoryFileUploadHandler


class InMemoryOnlyUploadHandler(MemoryFileUploadHandler):
    def handle_raw_input(
        self,
        input_data: Any,
        META: Any,  # noqa: N803 - Django's parameter name
        content_length: int,
        boundary: Any,
        encoding: Any = None,
    ) -> None:
        limit = settings.ATTACHMENT_MAX_BYTES * settings.ATTACHMENT_MAX_COUNT + 1024 * 1024
        if content_length > limit:
            raise RequestDataTooBig("The upload is larger than the attachments a signal may carry.")
        self.activated = True  # in memory, whatever the size below the limit
