// Parse a sitemap (argument "urlset") or a sitemap index ("index") from stdin with the npm `sitemap` package at its
// strictest level, and print what it read as JSON; any problem it finds ends the run with exit code 1.
// Used by tests/validators.py, so the package's own reading of our sitemaps is part of the test suite.
"use strict";

const { XMLToSitemapItemStream, XMLToSitemapIndexStream, ErrorLevel } = require("../node_modules/sitemap");

const Parser = process.argv[2] === "index" ? XMLToSitemapIndexStream : XMLToSitemapItemStream;
const items = [];
process.stdin
  .pipe(new Parser({ level: ErrorLevel.THROW, logger: false }))
  .on("data", (item) => items.push(item))
  .on("error", (error) => {
    process.stderr.write(String(error) + "\n");
    process.exit(1);
  })
  .on("end", () => process.stdout.write(JSON.stringify(items)));
