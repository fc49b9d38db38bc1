"""GraphiQL, served by the app itself with no CDN: the page is package data, the npm builds are found on disk."""
