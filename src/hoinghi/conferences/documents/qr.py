"""The QR code of an invitee's personal page."""

import io

import segno

# --- QR code of the personal page ----------------------------------------------------------------


def qr_svg(content: str, *, scale: int = 8) -> bytes:
    """The QR code as a standalone SVG (error correction M, 4-module quiet zone)."""
    output = io.BytesIO()
    segno.make(content, error="m", micro=False).save(
        output, kind="svg", scale=scale, border=4, xmldecl=True, svgns=True, title=None
    )
    return output.getvalue()
