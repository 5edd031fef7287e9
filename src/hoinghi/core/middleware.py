"""Request middleware shared by every app."""


class IgnoreBrowserLanguageMiddleware:
    """Vietnamese first: the interface is Vietnamese unless the user chose English.

    Django's LocaleMiddleware would follow the browser's Accept-Language header, so an
    official whose phone is set to English would get an English page they never asked for.
    The choice made with the language switch (a cookie) is still honoured.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
