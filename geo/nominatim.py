"""Nominatim, the online geocoder an analyst may turn on (opt-in: Eventmap is offline by default).

Only names the offline gazetteer does not know are sent, each at most once per workspace
(geo.geocoders.CachedGeocoder caches the answers, spaces the requests and retries politely).
Nominatim's usage policy (https://operations.osmfoundation.org/policies/nominatim/) asks for
at most one request per second and a User-Agent that identifies the application; geopy's
default one is refused. Eventmap sends "Eventmap/<version> (+<contact>)", and will not start
the online geocoder without a contact: the OSM operators block by User-Agent, and one that
every Eventmap install shares would have everyone blocked for one analyst's bulk import.

The setting lives in a small JSON file in the user's config folder, so that the command line
and the window read the same one without Qt.
"""

from __future__ import annotations

import json
import logging
import math
import os
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from functools import partial
from importlib import metadata
from pathlib import Path
from urllib.parse import urlsplit

from geopy.adapters import RequestsAdapter
from geopy.exc import GeocoderParseError, GeocoderQueryError
from geopy.geocoders import Nominatim
from geopy.location import Location
from urllib3.util.retry import Retry

from geo.geocoders import CachedGeocoder
from store.errors import SettingsError
from store.settings import config_dir
from store.workspace import Workspace

log = logging.getLogger(__name__)

DEFAULT_URL = "https://nominatim.openstreetmap.org"
SETTINGS_FILE = "geocoder.json"
TIMEOUT_SECONDS = 10.0
MAX_CONTACT = 200
# No retries below ours: urllib3 would sleep whatever Retry-After says (an hour, if the server
# says so) and retry timeouts, multiplying the requests a query may make.
_NO_RETRIES = Retry(0, read=False, redirect=False, respect_retry_after_header=False,
                    raise_on_status=False)
# A whole User-Agent given instead of a contact: "Product/1.2 (...)".
_FULL_AGENT = re.compile(r"^[A-Za-z][A-Za-z0-9._-]*/\d\S*(\s|$)")
_REFUSED_AGENTS = re.compile(r"^(geopy|python-requests|python-urllib|curl|wget)/", re.I)
HOW_TO_SET = ("give --user-agent CONTACT (your e-mail address or web page) or set it in the "
              "window (Edit › Online geocoder)")


@dataclass(frozen=True)
class OnlineGeocoding:
    """The user's online geocoder setting."""

    enabled: bool = False
    url: str = DEFAULT_URL  # a server speaking Nominatim's API
    contact: str = ""  # an e-mail address or web page, or a whole User-Agent


def parse_geocoder_option(value: str) -> str | None:
    """`--geocoder`: "offline" -> None, "nominatim" -> the public server, "nominatim:URL" -> URL.

    Raises SettingsError for anything else."""
    name, _, url = value.strip().partition(":")
    if name.lower() == "offline" and not url:
        return None
    if name.lower() != "nominatim":
        raise SettingsError(f"Unknown geocoder {value!r}: use offline or nominatim[:URL].")
    return check_url(url or DEFAULT_URL)


def check_url(url: str) -> str:
    """The server's base address, checked: http(s)://host[:port][/path], without /search."""
    url = url.strip()
    if url and "://" not in url:
        url = "https://" + url
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise SettingsError(f"Not the address of a Nominatim server: {url!r} "
                            "(expected e.g. https://nominatim.openstreetmap.org).")
    path = re.sub(r"/search(\.php)?$", "", parts.path.rstrip("/")).rstrip("/")
    return f"{parts.scheme}://{parts.netloc}{path}"


def user_agent(contact: str) -> str:
    """"Eventmap/0.1.0 (+analyst@example.org)", or the user's own whole User-Agent.

    Raises SettingsError when there is no usable contact."""
    contact = contact.strip()
    if not contact:
        raise SettingsError("The online geocoder needs a contact for its User-Agent, as "
                            f"Nominatim's usage policy asks: {HOW_TO_SET}.")
    if len(contact) > MAX_CONTACT or any(not c.isprintable() for c in contact):  # no CR/LF
        raise SettingsError(f"The geocoder contact must be one line of at most {MAX_CONTACT} "
                            "characters.")
    if _FULL_AGENT.match(contact):
        if _REFUSED_AGENTS.match(contact):
            raise SettingsError(f"Nominatim refuses the User-Agent {contact!r}: {HOW_TO_SET}.")
        return contact
    if "@" not in contact and not re.match(r"https?://\S+\.\S+", contact):
        raise SettingsError(f"The geocoder contact {contact!r} is no e-mail address or web page "
                            "(http://…): the server's operators must be able to reach you.")
    return f"Eventmap/{eventmap_version()} (+{contact})"


def eventmap_version() -> str:
    try:
        return metadata.version("eventmap")
    except metadata.PackageNotFoundError:  # running from a source tree that is not installed
        return "0"


class EventmapNominatim(Nominatim):
    """geopy's Nominatim, asking for address details and strict about what comes back: an
    answer that is no list of places, or a place whose coordinates are missing, not numbers
    or off the globe, is a GeocoderParseError (geopy alone would raise a ValueError, or put a
    place with no "lat" at 0, 0)."""

    def geocode(self, query, *, exactly_one=True, **kwargs):  # noqa: ANN001, ANN201 (geopy's)
        kwargs.setdefault("addressdetails", True)
        return super().geocode(query, exactly_one=exactly_one, **kwargs)

    def _parse_json(self, places, exactly_one):  # noqa: ANN001, ANN202
        if places is None or places == [] or places == {}:
            return None
        if isinstance(places, Mapping) and "error" in places:
            raise GeocoderQueryError(str(places["error"])[:200])
        if not isinstance(places, list) or not all(isinstance(p, Mapping) for p in places):
            raise GeocoderParseError(f"not a list of places: {str(places)[:80]!r}")
        return super()._parse_json(places, exactly_one)

    def _parse_code(self, place):  # noqa: ANN001, ANN202
        lat, lon = _degrees(place.get("lat"), 90), _degrees(place.get("lon"), 180)
        if lat is None or lon is None:
            raise GeocoderParseError(
                f"malformed coordinates: lat={place.get('lat')!r}, lon={place.get('lon')!r}")
        name = place.get("display_name")
        return Location(name if isinstance(name, str) else "", (lat, lon), dict(place))


def _degrees(value: object, limit: float) -> float | None:
    """A coordinate as Nominatim writes it (a string, sometimes a number), or None."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) and -limit <= number <= limit else None


def nominatim_geocoder(url: str, contact: str, *, timeout: float = TIMEOUT_SECONDS
                       ) -> EventmapNominatim:
    """A geopy geocoder for the Nominatim server at `url`, identifying itself with `contact`."""
    parts = urlsplit(check_url(url))
    return EventmapNominatim(domain=parts.netloc + parts.path, scheme=parts.scheme,
                             user_agent=user_agent(contact), timeout=timeout,
                             adapter_factory=partial(RequestsAdapter, max_retries=_NO_RETRIES))


def online_geocoder(url: str, contact: str, workspace: Workspace, *,
                    timeout: float = TIMEOUT_SECONDS, **polite: float) -> CachedGeocoder:
    """The online geocoder for one run on `workspace`; `polite` goes to CachedGeocoder
    (min_delay_seconds, max_tries, ...). Raises SettingsError on a bad URL or contact."""
    geocoder = nominatim_geocoder(url, contact, timeout=timeout)
    return CachedGeocoder(geocoder, workspace, provider=f"nominatim@{geocoder.domain}",
                          **polite)  # type: ignore[arg-type]


def configured_geocoder(workspace: Workspace, path: Path | None = None
                        ) -> CachedGeocoder | None:
    """The online geocoder the saved setting asks for, or None (offline). A setting that
    cannot be used is logged and leaves the run offline."""
    settings = load_settings(path)
    if not settings.enabled:
        return None
    try:
        return online_geocoder(settings.url, settings.contact, workspace)
    except SettingsError as e:
        log.warning("Online geocoder not used: %s", e)
        return None


def settings_path() -> Path:
    return config_dir() / SETTINGS_FILE


def load_settings(path: Path | None = None) -> OnlineGeocoding:
    """The saved setting; the default (offline) when there is none or it cannot be read."""
    path = path or settings_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return OnlineGeocoding()
    except (OSError, ValueError) as e:
        log.warning("Cannot read the geocoder setting %s (%s); staying offline.", path, e)
        return OnlineGeocoding()
    if not isinstance(data, dict):
        data = {}
    default = OnlineGeocoding()
    return OnlineGeocoding(
        enabled=data.get("enabled") is True,
        url=data["url"] if isinstance(data.get("url"), str) else default.url,
        contact=data["contact"] if isinstance(data.get("contact"), str) else "",
    )


def save_settings(settings: OnlineGeocoding, path: Path | None = None) -> Path:
    """Write the setting (checked first when it turns the geocoder on); returns the file."""
    if settings.enabled:
        check_url(settings.url)
        user_agent(settings.contact)
    path = path or settings_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".part")
        partial.write_text(json.dumps(asdict(settings), indent=2) + "\n", encoding="utf-8")
        os.replace(partial, path)
    except OSError as e:
        raise SettingsError(f"Cannot save the geocoder setting to {path}: {e}") from e
    return path
