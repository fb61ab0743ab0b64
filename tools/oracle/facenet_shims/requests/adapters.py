class HTTPAdapter:
    def __init__(self, *args, **kwargs):
        raise RuntimeError("the requests stand-in cannot download")
