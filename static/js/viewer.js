// The page-image viewer of a record page.
//
// The server renders every page as a plain image in a list, which is what
// visitors without JavaScript get. This script shows one page at a time with
// zoom, loads the page's machine-recognised text beside it only when the page
// is shown, keeps the page number in the address (#page=3) and announces
// "Page 3 of 40" in a polite live region. Everything is a real button, so it
// works from the keyboard; + − 0 and Page Up / Page Down are shortcuts.
(function () {
  "use strict";

  var ZOOMS = [1, 1.5, 2, 3, 4];
  var HASH = /^#page=(\d+)$/;

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (match, name) {
      return name in values ? values[name] : match;
    });
  }

  function Viewer(root) {
    this.root = root;
    this.pages = Array.prototype.slice.call(root.querySelectorAll(".viewer__page"));
    this.controls = root.querySelector(".viewer__controls");
    this.status = root.querySelector(".viewer__status");
    this.current = 0;
    this.zoom = 0;
    if (!this.pages.length || !this.controls) {
      return;
    }
    root.classList.add("viewer--enhanced");
    this.controls.hidden = false;
    root.querySelector(".viewer__keys").hidden = false;
    this.pages.forEach(function (page, index) {
      var frame = page.querySelector(".viewer__frame");
      // Focusable so a zoomed page can be scrolled with the arrow keys.
      frame.tabIndex = 0;
      frame.setAttribute("role", "region");
      frame.setAttribute("aria-label", page.querySelector("img").alt);
      page.dataset.index = String(index);
    });
    this.controls.addEventListener("click", this.onClick.bind(this));
    root.addEventListener("keydown", this.onKey.bind(this));
    window.addEventListener("hashchange", this.onHash.bind(this));
    this.show(this.pageFromHash() || 1, false);
  }

  Viewer.prototype.pageFromHash = function () {
    var match = HASH.exec(window.location.hash);
    if (!match) {
      return 0;
    }
    var number = parseInt(match[1], 10);
    return number >= 1 && number <= this.pages.length ? number : 0;
  };

  Viewer.prototype.onHash = function () {
    var number = this.pageFromHash();
    if (number && number !== this.current) {
      this.show(number, false);
    }
  };

  Viewer.prototype.onClick = function (event) {
    var button = event.target.closest("button[data-action]");
    if (!button || button.getAttribute("aria-disabled") === "true") {
      return;
    }
    this.act(button.dataset.action);
  };

  Viewer.prototype.onKey = function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) {
      return;
    }
    if (!event.target.closest(".viewer__controls, .viewer__frame")) {
      return;
    }
    var actions = {
      "+": "zoom-in",
      "=": "zoom-in",
      "-": "zoom-out",
      "_": "zoom-out",
      "0": "reset",
      PageDown: "next",
      PageUp: "previous",
    };
    var action = actions[event.key];
    if (action) {
      event.preventDefault();
      this.act(action);
    }
  };

  Viewer.prototype.act = function (action) {
    if (action === "next" && this.current < this.pages.length) {
      this.show(this.current + 1, true);
    } else if (action === "previous" && this.current > 1) {
      this.show(this.current - 1, true);
    } else if (action === "zoom-in") {
      this.setZoom(Math.min(this.zoom + 1, ZOOMS.length - 1));
    } else if (action === "zoom-out") {
      this.setZoom(Math.max(this.zoom - 1, 0));
    } else if (action === "reset") {
      this.setZoom(0);
    }
  };

  Viewer.prototype.show = function (number, updateHash) {
    this.current = number;
    this.pages.forEach(function (page, index) {
      page.hidden = index !== number - 1;
    });
    this.setZoom(0, true);
    this.loadText(this.pages[number - 1]);
    this.setDisabled("previous", number <= 1);
    this.setDisabled("next", number >= this.pages.length);
    if (updateHash) {
      history.replaceState(null, "", "#page=" + number);
    }
    this.announce();
  };

  // One polite live region says where the visitor is: "Page 3 of 40", and the
  // zoom when the page is enlarged.
  Viewer.prototype.announce = function () {
    var message = format(this.root.dataset.status, {
      page: this.current,
      total: this.pages.length,
    });
    if (this.zoom > 0) {
      message += " · " + format(this.root.dataset.zoomStatus, {
        zoom: Math.round(ZOOMS[this.zoom] * 100) + "%",
      });
    }
    this.status.textContent = message;
  };

  Viewer.prototype.setDisabled = function (action, disabled) {
    // aria-disabled rather than disabled: the button keeps the keyboard focus.
    var button = this.controls.querySelector('[data-action="' + action + '"]');
    button.setAttribute("aria-disabled", disabled ? "true" : "false");
  };

  // The width of the page when it fits the frame, which every zoom multiplies.
  Viewer.prototype.fittedWidth = function (image) {
    var style = image.style;
    var saved = [style.width, style.maxWidth, style.maxHeight];
    style.width = style.maxWidth = style.maxHeight = "";
    var width = image.getBoundingClientRect().width;
    style.width = saved[0];
    style.maxWidth = saved[1];
    style.maxHeight = saved[2];
    return width || image.parentNode.clientWidth;
  };

  Viewer.prototype.setZoom = function (level, quiet) {
    var page = this.pages[this.current - 1];
    var frame = page.querySelector(".viewer__frame");
    var image = page.querySelector(".viewer__image");
    var centreX = (frame.scrollLeft + frame.clientWidth / 2) / (frame.scrollWidth || 1);
    var centreY = (frame.scrollTop + frame.clientHeight / 2) / (frame.scrollHeight || 1);
    var fitted = this.fittedWidth(image);
    this.zoom = level;
    if (level) {
      image.style.width = Math.round(fitted * ZOOMS[level]) + "px";
      image.style.maxWidth = image.style.maxHeight = "none";
    } else {
      image.style.width = image.style.maxWidth = image.style.maxHeight = "";
    }
    frame.classList.toggle("viewer__frame--zoomed", level > 0);
    frame.scrollLeft = centreX * frame.scrollWidth - frame.clientWidth / 2;
    frame.scrollTop = centreY * frame.scrollHeight - frame.clientHeight / 2;
    this.setDisabled("zoom-in", level >= ZOOMS.length - 1);
    this.setDisabled("zoom-out", level <= 0);
    this.setDisabled("reset", level <= 0);
    if (!quiet) {
      this.announce();
    }
  };

  Viewer.prototype.loadText = function (page) {
    var panel = page.querySelector(".viewer__text");
    if (!panel || panel.dataset.loaded) {
      return;
    }
    panel.dataset.loaded = "loading";
    var body = panel.querySelector(".viewer__text-body");
    var root = this.root;
    body.textContent = root.dataset.loading;
    fetch(panel.dataset.textUrl, { headers: { Accept: "text/plain" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.text();
      })
      .then(function (text) {
        body.textContent = text;
        panel.dataset.loaded = "yes";
      })
      .catch(function () {
        body.textContent = root.dataset.loadFailed + " ";
        var link = document.createElement("a");
        link.href = panel.dataset.textUrl;
        link.textContent = panel.querySelector(".viewer__text-heading").textContent;
        body.appendChild(link);
        delete panel.dataset.loaded;
      });
  };

  document.querySelectorAll("[data-viewer]").forEach(function (root) {
    new Viewer(root);
  });
})();
