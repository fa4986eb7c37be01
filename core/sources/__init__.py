"""Reading what comes in: files and URLs, feeds, OPML, JSON Lines, WARC; fetching and polling over HTTP; bytes to text."""
