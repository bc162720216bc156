"""Request parsers: DRF's JSON parser, hardened against pathologically nested documents."""

from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            # `[[[[...` 100k deep fits in the body limit and overflows the decoder: bad input, not a 500.
            raise ParseError("JSON parse error - the document is nested too deeply.") from None
