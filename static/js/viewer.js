// The page-image viewer of a record page.
//
// The server renders every page as a plain image in a list, which is what
// visitors without JavaScript get. This script shows one page at a time,
// loads the page's machine-recognised text beside it only when the page is
// shown, keeps the page number in the address (#page=3) and announces
// "Page 3 of 40" in a polite live region.
//
// Zooming is OpenSeadragon's deep zoom (static/vendor/openseadragon/), loaded
// only when the viewer comes into view: it reads the page's IIIF tiles from
// the info.json its list item names (data-info-url), or the image itself when
// the page has no tiles yet. Until it has loaded, the page is the plain image
// and the zoom buttons wait. Everything is a real button, so it works from
// the keyboard; + − 0 and Page Up / Page Down are shortcuts, and the arrow
// keys move a zoomed page.
(function () {
  "use strict";

  // Zoom steps, as multiples of the page fitted to its frame.
  var ZOOMS = [1, 1.5, 2, 3, 4];
  var HASH = /^#page=(\d+)$/;
  // Keys the viewer answers itself, wherever the focus is inside it.
  var KEYS = {
    "+": "zoom-in",
    "=": "zoom-in",
    "-": "zoom-out",
    _: "zoom-out",
    "0": "reset",
    PageDown: "next",
    PageUp: "previous",
  };
  var scriptLoading = null;

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (match, name) {
      return name in values ? values[name] : match;
    });
  }

  // One <script> for every viewer of the page, added the first time one asks.
  function loadScript(src) {
    if (!scriptLoading) {
      scriptLoading = new Promise(function (resolve, reject) {
        if (window.OpenSeadragon) {
          resolve(window.OpenSeadragon);
          return;
        }
        var script = document.createElement("script");
        script.src = src;
        script.async = true;
        script.onload = function () {
          resolve(window.OpenSeadragon);
        };
        script.onerror = reject;
        document.head.appendChild(script);
      });
    }
    return scriptLoading;
  }

  function Viewer(root) {
    this.root = root;
    this.pages = Array.prototype.slice.call(root.querySelectorAll(".viewer__page"));
    this.controls = root.querySelector(".viewer__controls");
    this.status = root.querySelector(".viewer__status");
    this.current = 0;
    this.zoom = 0;
    this.deepZoom = null; // the OpenSeadragon viewer, once loaded
    this.opened = 0; // the page number it shows
    if (!this.pages.length || !this.controls) {
      return;
    }
    root.classList.add("viewer--enhanced");
    this.controls.hidden = false;
    root.querySelector(".viewer__keys").hidden = false;
    this.pages.forEach(function (page, index) {
      page.dataset.index = String(index);
    });
    this.controls.addEventListener("click", this.onClick.bind(this));
    root.addEventListener("keydown", this.onKey.bind(this));
    window.addEventListener("hashchange", this.onHash.bind(this));
    this.show(this.pageFromHash() || 1, false);
    this.whenSeen(this.startDeepZoom.bind(this));
  }

  // Deep zoom costs a script and tiles: only for a visitor who reaches it.
  Viewer.prototype.whenSeen = function (callback) {
    if (!("IntersectionObserver" in window)) {
      callback();
      return;
    }
    var observer = new IntersectionObserver(
      function (entries) {
        if (entries.some(function (entry) { return entry.isIntersecting; })) {
          observer.disconnect();
          callback();
        }
      },
      { rootMargin: "200px 0px" }
    );
    observer.observe(this.root);
  };

  Viewer.prototype.startDeepZoom = function () {
    var self = this;
    loadScript(this.root.dataset.zoomScript).then(
      function (OpenSeadragon) {
        var element = document.createElement("div");
        element.className = "viewer__zoom";
        self.deepZoom = OpenSeadragon({
          element: element,
          // The portal's own labelled buttons, not OpenSeadragon's images.
          showNavigationControl: false,
          // Canvas drawing works everywhere, WebGL not on every machine.
          drawer: "canvas",
          animationTime: 0.4,
          maxZoomPixelRatio: 4,
          visibilityRatio: 0.5,
          gestureSettingsMouse: { clickToZoom: false },
          preserveImageSizeOnResize: true,
        });
        self.deepZoom.addHandler("canvas-key", function (event) {
          // The viewer's own shortcuts (they bubble to its keydown handler);
          // OpenSeadragon keeps the arrow keys, which move the page.
          if (KEYS[event.originalEvent.key]) {
            event.preventDefaultAction = true;
          }
        });
        self.deepZoom.addHandler("open", self.onOpen.bind(self));
        self.deepZoom.addHandler("open-failed", self.onOpenFailed.bind(self));
        self.deepZoom.addHandler("zoom", self.onZoom.bind(self));
        self.openPage();
      },
      function () {
        // No deep zoom (offline, blocked): the plain images stay.
        self.setZoomButtons();
      }
    );
  };

  // Moves the deep-zoom viewer to the current page and opens its image.
  Viewer.prototype.openPage = function () {
    if (!this.deepZoom || this.opened === this.current) {
      return;
    }
    var page = this.pages[this.current - 1];
    var frame = page.querySelector(".viewer__frame");
    var element = this.deepZoom.element;
    this.restoreImage();
    frame.appendChild(element);
    this.opened = this.current;
    this.fallback = false;
    var image = page.querySelector(".viewer__image");
    this.deepZoom.open(
      page.dataset.infoUrl || { type: "image", url: image.currentSrc || image.src }
    );
  };

  Viewer.prototype.onOpen = function () {
    var page = this.pages[this.opened - 1];
    var image = page.querySelector(".viewer__image");
    var canvas = this.deepZoom.canvas;
    image.hidden = true;
    page.querySelector(".viewer__frame").classList.add("viewer__frame--zoom");
    canvas.setAttribute("role", "region");
    canvas.setAttribute(
      "aria-label",
      format(this.root.dataset.zoomLabel, { page: this.opened })
    );
    this.applyZoom(true);
  };

  // No tiles after all: try the image itself once, then give the page back.
  Viewer.prototype.onOpenFailed = function () {
    var page = this.pages[this.opened - 1];
    var image = page && page.querySelector(".viewer__image");
    if (page && page.dataset.infoUrl && !this.fallback) {
      this.fallback = true;
      this.deepZoom.open({ type: "image", url: image.currentSrc || image.src });
      return;
    }
    this.restoreImage();
    this.opened = 0;
  };

  // The page the deep-zoom viewer leaves shows its plain image again.
  Viewer.prototype.restoreImage = function () {
    var element = this.deepZoom && this.deepZoom.element;
    var frame = element && element.parentNode;
    if (!frame) {
      return;
    }
    frame.classList.remove("viewer__frame--zoom");
    frame.querySelector(".viewer__image").hidden = false;
    frame.removeChild(element);
  };

  // Zooming with the wheel or the fingers: the buttons follow, quietly.
  // Zooms made at once are the viewer's own (a page opened, reset) or
  // OpenSeadragon keeping the image in a frame that changed size (the page's
  // text arriving, the layout moving): the visitor's step stays what it was.
  // Reading a step back from those, mid-animation or against a new home zoom,
  // would take 200% for 150% and make the next "+" go nowhere.
  Viewer.prototype.onZoom = function (event) {
    if (event.immediately) {
      return;
    }
    var viewport = this.deepZoom.viewport;
    var ratio = event.zoom / viewport.getHomeZoom();
    var level = 0;
    for (var i = 0; i < ZOOMS.length; i++) {
      if (ratio >= ZOOMS[i] - 0.01) {
        level = i;
      }
    }
    this.zoom = level;
    this.setZoomButtons();
  };

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
    var action = KEYS[event.key];
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
    } else if (!this.isZoomable()) {
      return;
    } else if (action === "zoom-in") {
      this.setZoom(Math.min(this.zoom + 1, ZOOMS.length - 1));
    } else if (action === "zoom-out") {
      this.setZoom(Math.max(this.zoom - 1, 0));
    } else if (action === "reset") {
      this.setZoom(0);
    }
  };

  Viewer.prototype.isZoomable = function () {
    return Boolean(this.deepZoom && this.opened === this.current);
  };

  Viewer.prototype.show = function (number, updateHash) {
    this.current = number;
    this.pages.forEach(function (page, index) {
      page.hidden = index !== number - 1;
    });
    this.zoom = 0;
    this.openPage();
    this.applyZoom(true);
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

  Viewer.prototype.setZoomButtons = function () {
    var zoomable = this.isZoomable();
    this.setDisabled("zoom-in", !zoomable || this.zoom >= ZOOMS.length - 1);
    this.setDisabled("zoom-out", !zoomable || this.zoom <= 0);
    this.setDisabled("reset", !zoomable || this.zoom <= 0);
  };

  Viewer.prototype.setZoom = function (level) {
    this.zoom = level;
    this.applyZoom(false);
    this.announce();
  };

  Viewer.prototype.applyZoom = function (immediately) {
    if (this.isZoomable() && this.deepZoom.world.getItemCount()) {
      var viewport = this.deepZoom.viewport;
      if (this.zoom === 0) {
        viewport.goHome(immediately);
      } else {
        viewport.zoomTo(viewport.getHomeZoom() * ZOOMS[this.zoom], null, immediately);
      }
    }
    this.setZoomButtons();
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
