/* Phones start the search page with its filters closed, the results first.
   Loaded without `defer`, right after the filters panel: it runs as the page is
   parsed, before the results below exist, so nothing moves (closed by the
   deferred search.js, the results jumped up a screen after the first paint, a
   layout shift of 0.34). A file, not an inline script, so a Content Security
   Policy of script-src 'self' allows it. Without JavaScript the panel stays
   open and the filters are never out of reach. */
(function (panel) {
  if (panel && window.matchMedia("(max-width: 55.99em)").matches) {
    panel.open = false;
  }
})(document.querySelector("#search-filters [data-filters]"));
