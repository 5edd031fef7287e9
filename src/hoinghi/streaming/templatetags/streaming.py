from django import template

register = template.Library()


@register.filter
def clock(seconds) -> str:
    """Seconds as m:ss, or h:mm:ss from an hour: how players show lengths."""
    if seconds in (None, ""):
        return ""
    whole = int(round(float(seconds)))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
