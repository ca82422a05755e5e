// Search as you type, on the search page only.
//
// The page is a plain GET form that works without this script. With it, each
// change asks the JSON API (/api/search, with html=1) for the page's two
// regions, rendered on the server by the same templates, and swaps them in:
// typing waits ≈150 ms and cancels the request before it; the count goes to
// the role=status line; the address follows the search (replaceState while
// typing, pushState for a submit, a filter, a page or an order, so Back
// works); the focus stays where the visitor is.
(function () {
  "use strict";

  var form = document.querySelector("[data-search-form]");
  if (!form || !window.fetch || !window.AbortController || !window.URLSearchParams) {
    return;
  }
  var DELAY = 150;
  var TYPED = ["q", "title", "creator", "ref", "from", "to"];
  var KEPT = ["within", "sort", "per_page"];
  var MANY_VALUES = 8;
  var results = document.getElementById("search-results");
  var filters = document.getElementById("search-filters");
  var status = document.getElementById("search-status");
  var problems = document.querySelector("[data-search-problems]");
  var kept = form.querySelector("[data-kept-params]");
  var layout = results.parentNode;
  var title = document.title;
  var titleSuffix = title.lastIndexOf(" – ") >= 0 ? title.slice(title.lastIndexOf(" – ")) : "";
  var timer = 0;
  var controller = null;
  var requested = location.search.replace(/^\?/, "");
  var facetFilterText = {};

  document.documentElement.classList.add("search-enhanced");

  // What the form asks for now; empty fields are left out of the address.
  function formParams() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (String(value).trim() !== "") {
        params.append(name, value);
      }
    });
    return params;
  }

  // After a link or Back: the boxes show what the address asks for.
  function fillForm(params) {
    TYPED.forEach(function (name) {
      var field = form.elements[name];
      if (field) {
        field.value = params.get(name) || "";
      }
    });
    kept.textContent = "";
    KEPT.forEach(function (name) {
      if (params.get(name)) {
        var hidden = document.createElement("input");
        hidden.type = "hidden";
        hidden.name = name;
        hidden.value = params.get(name);
        kept.appendChild(hidden);
      }
    });
  }

  function showProblem(message) {
    problems.textContent = "";
    if (message) {
      var paragraph = document.createElement("p");
      paragraph.textContent = message;
      problems.appendChild(paragraph);
    }
    problems.hidden = !message;
  }

  function search(params, history_, moveFocus) {
    var query = params.toString();
    if (history_ === "replace" && query === requested) {
      return;
    }
    requested = query;
    if (controller) {
      controller.abort();
    }
    controller = new AbortController();
    var asked = new URLSearchParams(params);
    asked.set("lang", form.dataset.lang);
    asked.set("html", "1");
    layout.setAttribute("aria-busy", "true");
    fetch(form.dataset.api + "?" + asked.toString(), {
      signal: controller.signal,
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.json().then(function (body) {
          return { ok: response.ok, status: response.status, body: body };
        });
      })
      .then(function (answer) {
        layout.removeAttribute("aria-busy");
        if (answer.ok) {
          render(answer.body.html);
          showProblem("");
        } else if (answer.status === 503) {
          status.textContent = form.dataset.unavailable;
          showProblem(form.dataset.unavailable);
        } else {
          // Refused (symbols alone, too long, a value that names nothing): the
          // reason replaces the results and their count, never beside them.
          var message = answer.body.message || form.dataset.failed;
          showProblem(message);
          status.textContent = message;
          results.textContent = "";
        }
        remember(query, history_);
        if (moveFocus) {
          results.focus();
        }
      })
      .catch(function (error) {
        if (error.name === "AbortError") {
          return;
        }
        layout.removeAttribute("aria-busy");
        showProblem(form.dataset.failed);
      });
  }

  function remember(query, history_) {
    var address = location.pathname + (query ? "?" + query : "");
    if (history_ === "push" && address !== location.pathname + location.search) {
      window.history.pushState(null, "", address);
    } else if (history_ !== "none") {
      window.history.replaceState(null, "", address);
    }
    // The language switch keeps the search.
    document.querySelectorAll(".language-switcher a[hreflang]").forEach(function (link) {
      link.search = query ? "?" + query : "";
    });
  }

  function render(html) {
    var active = document.activeElement;
    var focused = active && active.type === "checkbox" ? [active.name, active.value] : null;
    var open = {};
    filters.querySelectorAll("details").forEach(function (details) {
      open[detailsKey(details)] = details.open;
    });
    filters.innerHTML = html.filters;
    results.innerHTML = html.results;
    status.textContent = html.status;
    document.title = html.title + titleSuffix;
    filters.querySelectorAll("details").forEach(function (details) {
      var key = detailsKey(details);
      if (key in open) {
        // The panel as the visitor left it; a group also opens for a choice in it.
        details.open = key === "filters" ? open[key] : open[key] || details.open;
      }
    });
    enhanceFilters();
    if (focused) {
      var again = findCheckbox(focused[0], focused[1]);
      if (again) {
        again.focus();
      }
    }
  }

  function detailsKey(details) {
    return details.hasAttribute("data-filters") ? "filters" : details.dataset.facetGroup || "";
  }

  function findCheckbox(name, value) {
    var boxes = filters.querySelectorAll('input[type="checkbox"]');
    for (var i = 0; i < boxes.length; i += 1) {
      if (boxes[i].name === name && boxes[i].value === value) {
        return boxes[i];
      }
    }
    return null;
  }

  // A long list of values gets a box that narrows it as one types.
  function enhanceFilters() {
    filters.querySelectorAll(".facet").forEach(function (facet) {
      var values = Array.prototype.slice.call(facet.querySelectorAll(".facet__value"));
      if (values.length <= MANY_VALUES) {
        return;
      }
      var name = facet.dataset.facet;
      var box = document.createElement("input");
      box.type = "search";
      box.className = "facet__filter";
      box.id = "facet-filter-" + name;
      // A visible label: an unlabelled box in a list of values looks broken.
      var label = document.createElement("label");
      label.className = "facet__filter-label";
      label.htmlFor = box.id;
      label.textContent = filters.dataset.facetFilter;
      box.value = facetFilterText[name] || "";
      var list = facet.querySelector(".facet__values");
      facet.insertBefore(label, list);
      facet.insertBefore(box, list);
      var apply = function () {
        var text = box.value.trim().toLowerCase();
        facetFilterText[name] = box.value;
        var more = facet.querySelector(".facet__more");
        if (text && more) {
          more.open = true;
        }
        values.forEach(function (value) {
          value.hidden = text !== "" && value.textContent.toLowerCase().indexOf(text) < 0;
        });
      };
      box.addEventListener("input", apply);
      apply();
    });
  }

  form.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      search(formParams(), "replace", false);
    }, DELAY);
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.clearTimeout(timer);
    requested = null;
    search(formParams(), "push", false);
  });

  filters.addEventListener("change", function (event) {
    if (event.target.type === "checkbox") {
      window.clearTimeout(timer);
      search(formParams(), "push", false);
    }
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-search-link]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) {
      return;
    }
    event.preventDefault();
    window.clearTimeout(timer);
    var params = new URL(link.href, location.href).searchParams;
    fillForm(params);
    search(params, "push", true);
  });

  window.addEventListener("popstate", function () {
    var params = new URLSearchParams(location.search);
    fillForm(params);
    requested = null;
    search(params, "none", false);
  });

  // On phones the page closed the filters already, as it was parsed
  // (search_page.html): closing them here moved the results after the first paint.
  enhanceFilters();
})();
