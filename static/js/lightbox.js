/* A gallery's thumbnails open their large image in a modal <dialog>.

   Without this script each thumbnail is a plain link to the large image.
   With it: Enter or a click opens the viewer; the arrow keys and buttons move
   between images; Escape or the close button closes it and focus returns to
   the thumbnail that opened it. <dialog> keeps focus inside while open. */
(function () {
  "use strict";

  var lang = (document.documentElement.lang || "").toLowerCase();
  var zh = lang.indexOf("zh") === 0;
  var words = zh
    ? { close: "关闭", previous: "上一张", next: "下一张", of: function (n, t) { return "第 " + n + "/" + t + " 张"; } }
    : { close: "Close", previous: "Previous", next: "Next", of: function (n, t) { return n + " of " + t; } };

  function button(label, action) {
    var element = document.createElement("button");
    element.type = "button";
    element.textContent = label;
    element.addEventListener("click", action);
    return element;
  }

  function setUp(gallery) {
    var links = Array.prototype.slice.call(gallery.querySelectorAll(".gallery__link"));
    if (!links.length || typeof HTMLDialogElement === "undefined") {
      return;
    }
    var dialog = document.createElement("dialog");
    dialog.className = "lightbox";
    var image = document.createElement("img");
    var caption = document.createElement("p");
    caption.className = "lightbox__caption";
    caption.setAttribute("aria-live", "polite");
    var credit = document.createElement("p");
    credit.className = "lightbox__credit";
    var controls = document.createElement("div");
    controls.className = "lightbox__controls";
    var current = 0;
    var opener = null;

    function show(index) {
      current = (index + links.length) % links.length;
      var link = links[current];
      var thumbnail = link.querySelector("img");
      // The caption and the credit line stay apart, as under the thumbnail.
      var figure = link.parentNode;
      var text = figure.querySelector(".figure__text");
      var source = figure.querySelector(".figure__source");
      image.src = link.href;
      image.alt = thumbnail ? thumbnail.alt : "";
      if (link.dataset.width) {
        image.width = link.dataset.width;
        image.height = link.dataset.height;
      }
      caption.textContent = "";
      var counter = document.createElement("span");
      counter.className = "lightbox__counter";
      counter.textContent = words.of(current + 1, links.length);
      caption.appendChild(counter);
      if (text) {
        caption.appendChild(document.createElement("br"));
        caption.appendChild(document.createTextNode(text.textContent.trim()));
      }
      credit.textContent = source ? source.textContent.trim() : "";
      credit.hidden = !source;
    }

    controls.appendChild(button(words.previous, function () { show(current - 1); }));
    controls.appendChild(button(words.next, function () { show(current + 1); }));
    controls.appendChild(button(words.close, function () { dialog.close(); }));
    dialog.appendChild(image);
    dialog.appendChild(caption);
    dialog.appendChild(credit);
    dialog.appendChild(controls);
    dialog.setAttribute("aria-label", gallery.getAttribute("aria-label") || "");
    document.body.appendChild(dialog);

    dialog.addEventListener("keydown", function (event) {
      if (event.key === "ArrowRight") { show(current + 1); event.preventDefault(); }
      if (event.key === "ArrowLeft") { show(current - 1); event.preventDefault(); }
    });
    dialog.addEventListener("close", function () {
      if (opener) { opener.focus(); }
    });
    dialog.addEventListener("click", function (event) {
      if (event.target === dialog) { dialog.close(); }
    });

    links.forEach(function (link, index) {
      link.addEventListener("click", function (event) {
        if (event.metaKey || event.ctrlKey || event.shiftKey) { return; }
        event.preventDefault();
        opener = link;
        show(index);
        dialog.showModal();
        controls.lastChild.focus();
      });
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-gallery]"), setUp);
})();
