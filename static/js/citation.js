// Copy buttons for the citations on a record page. Without this script the
// buttons stay hidden and the citations are ordinary text to select and copy.
(function () {
  "use strict";

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    // Plain HTTP (a reading-room intranet): the old way still works there.
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var copied = false;
      try {
        copied = document.execCommand("copy");
      } catch (error) {
        copied = false;
      }
      document.body.removeChild(area);
      (copied ? resolve : reject)();
    });
  }

  document.querySelectorAll("[data-citation]").forEach(function (box) {
    var status = box.querySelector(".citation__status");
    box.querySelectorAll("button[data-copy]").forEach(function (button) {
      var source = document.getElementById(button.dataset.copy);
      if (!source) {
        return;
      }
      button.hidden = false;
      button.addEventListener("click", function () {
        copyText(source.textContent.trim()).then(
          function () {
            status.textContent = status.dataset.copied;
          },
          function () {
            status.textContent = status.dataset.failed;
          }
        );
      });
    });
  });
})();
