"""Refuse an oversized upload by its declared size, before a byte of it is kept."""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload


class SizeLimitedUploadHandler(FileUploadHandler):
    """First in FILE_UPLOAD_HANDLERS: a request whose declared length is over the limit has
    its file parts refused at their first chunk, so nothing is written to memory or disk.

    The rest of the body is drained rather than the connection reset, so that the form can
    say why (request.upload_refused) next to the other fields the officer filled in. The
    proxy in front (client_max_body_size) stops such bodies at the edge; see
    docs/operations.md."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        limit = settings.TRUSTDESK_MAX_UPLOAD_BYTES
        self.refused = bool(content_length and content_length > limit)
        if self.refused:
            self.request.upload_refused = (
                f"The file is {content_length / 1024**2:,.1f} MB; the largest accepted is "
                f"{limit / 1024**2:,.1f} MB."
            )

    def receive_data_chunk(self, raw_data, start):
        if self.refused:
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None
