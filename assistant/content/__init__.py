"""Stage 1, content: the knowledge base in kb/ (articles, glossary, sources), loaded and checked."""
