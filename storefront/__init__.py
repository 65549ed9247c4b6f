"""The buyer-facing web pages."""
