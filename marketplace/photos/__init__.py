"""Product photos: validated uploads, a metadata-free master, derivatives and placeholders."""
