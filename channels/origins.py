"""The web page origins allowed to call the Rasa server: exact origins, never patterns.

Sanic-Cors reads an allowed origin that looks like a regular expression as one and matches
it without anchoring it at the end (CVE-2026-37737): "https://guide.example.org" written as
a pattern would also let "https://guide.example.org.evil.test" in. So every allowed origin
must be a plain origin (scheme, host, optional port: `https://guide.example.org`,
`http://localhost:8080`); anything else ("*", a path, a pattern) stops the start-up with an
error, and the allowed origins are matched whole (`cors_patterns`).
"""

import re
from typing import Iterable, List, Optional, Pattern, Union

ORIGIN = re.compile(
    r"https?://(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?::\d{1,5})?"
)


def exact_origins(setting: Union[str, Iterable[str], None]) -> List[str]:
    """The origins of a space- or comma-separated setting (or a list), each checked to be a
    plain origin; a ValueError names the first one that is not."""
    values = setting.replace(",", " ").split() if isinstance(setting, str) else list(setting or [])
    origins = []
    for value in values:
        origin = value.strip().rstrip("/").lower()
        if not ORIGIN.fullmatch(origin):
            raise ValueError(
                f"allowed origin {value!r} is not an exact origin such as https://guide.example.org "
                "(scheme://host[:port]; no '*', path or pattern)"
            )
        origins.append(origin)
    return origins


def cors_patterns(origins: Iterable[str]) -> List[Pattern[str]]:
    """Patterns that match exactly these origins and nothing longer (for Sanic-Cors)."""
    return [re.compile(re.escape(origin) + r"\Z", re.IGNORECASE) for origin in origins]


def allowed(origin: Optional[str], origins: Iterable[str]) -> bool:
    """Whether a request's Origin header is one of the allowed origins, exactly."""
    return origin is not None and origin.rstrip("/").lower() in set(origins)
