"""Raw items to article rows: main text and metadata, exact duplicates, syndicated stories."""
