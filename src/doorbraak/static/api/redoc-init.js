/* Starts Redoc on the API documentation page; the schema's address comes from the container's
   data-schema-url (no inline script: see the Content-Security-Policy). */
(function () {
  "use strict";
  var container = document.getElementById("redoc-container");
  if (!container || typeof Redoc === "undefined") return;
  var font = "system-ui, sans-serif";
  Redoc.init(container.getAttribute("data-schema-url"), {
    theme: { typography: { fontFamily: font, headings: { fontFamily: font } } },
  }, container);
})();
