"""Static files: where the Utrecht stylesheets are found, and how everything is stored for serving.

NodeModulesFinder: the Utrecht NL Design System stylesheets and Leaflet (the risk map) in node_modules (installed by `make
install` from npm, never loaded from a CDN). Only the files the templates use: the packages also
hold megabytes of tokens in JSON and JavaScript, and a sheet whose icons they do not ship (which
the manifest storage would refuse).

StaticStorage: whitenoise's CompressedManifestStaticFilesStorage (hashed names, far-future cache
headers) with gzip copies only: brotli at its highest quality on the API documentation bundles
makes collectstatic take minutes, for a few kilobytes less on an intranet."""

from __future__ import annotations

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage

PREFIX = "nlds"
FILES = [
    "@utrecht/design-tokens/dist/index.css",
    "@utrecht/component-library-css/dist/index.css",
    # Leaflet for the risk map (doorbraak/risk): the script, its source map and its stylesheet
    # with the images the stylesheet names (the manifest storage resolves every reference)
    "leaflet/dist/leaflet.js",
    "leaflet/dist/leaflet.js.map",
    "leaflet/dist/leaflet.css",
    "leaflet/dist/images/layers.png",
    "leaflet/dist/images/layers-2x.png",
    "leaflet/dist/images/marker-icon.png",
    "leaflet/dist/images/marker-icon-2x.png",
    "leaflet/dist/images/marker-shadow.png",
]


class NodeModulesFinder(BaseFinder):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.storage = FileSystemStorage(location=settings.NODE_MODULES)
        self.storage.prefix = PREFIX

    def check(self, **kwargs):
        return []

    def find(self, path, find_all=False, **kwargs):
        find_all = find_all or kwargs.get("all", False)
        name = path.removeprefix(f"{PREFIX}/")
        if name != path and name in FILES and self.storage.exists(name):
            found = self.storage.path(name)
            return [found] if find_all else found
        return [] if find_all else None

    def list(self, ignore_patterns):
        for name in FILES:
            if self.storage.exists(name):
                yield name, self.storage


class StaticStorage(CompressedManifestStaticFilesStorage):
    def create_compressor(self, **kwargs):
        return super().create_compressor(use_brotli=False, **kwargs)
