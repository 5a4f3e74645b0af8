"""Figure and table code of the chapters, drawn at build from the package's own numbers."""
