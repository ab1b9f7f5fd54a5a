/**
 * @asyncapi/html-template depends on puppeteer (for its PDF output, which wsconform does not use).
 * Puppeteer's postinstall downloads a browser, which cannot be fetched on machines without
 * general internet access and would fail the whole `npm ci`. Skip it; headless tests use
 * Debian's /usr/bin/chromium instead.
 */
module.exports = { skipDownload: true };
