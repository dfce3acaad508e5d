"""From article files to ArticleGraph objects: readers, the spaCy pipeline, extractors."""
