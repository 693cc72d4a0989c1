"""Stage 2, search: chunks and views, embedders (and the model conversion), the index, lexical, retrieval."""
