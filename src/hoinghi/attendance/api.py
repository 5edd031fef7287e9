"""Check-in and presence endpoints (written with the live-operations issue)."""

from ninja import Router

router = Router(tags=["attendance"])
