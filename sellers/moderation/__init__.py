"""Operator pages under ``/moderasi/``: shops awaiting approval, listings awaiting review, the
prohibited-goods list. Every view is guarded by ``permissions.can_moderate``."""
