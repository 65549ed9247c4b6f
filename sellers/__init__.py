"""Shops and the seller dashboard."""
