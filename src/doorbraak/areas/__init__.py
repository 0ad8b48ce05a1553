"""The municipality and its areas as data: the city, its wijken and the focus areas of the
approach, each with a code, a name and an outline (GeoJSON). A platform app: domain apps and
policy may import it; it imports none of them."""
