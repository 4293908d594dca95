"""The API's JSON parser (set in REST_FRAMEWORK's DEFAULT_PARSER_CLASSES)."""

import codecs

from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.utils import json as drf_json

from . import json_input


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing nesting beyond MAX_JSON_DEPTH with 400 instead of a RecursionError."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = parsers.get_encoding(parser_context or {})
        try:
            decoded_stream = codecs.getreader(encoding)(stream)
            parse_constant = drf_json.strict_constant if self.strict else None
            return json_input.load(decoded_stream, parse_constant=parse_constant)
        except json_input.TooDeep as exc:
            raise ParseError(str(exc)) from None
        except ValueError as exc:
            raise ParseError(f"JSON parse error - {exc}") from None
