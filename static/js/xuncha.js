// Small progressive enhancements; every page works without them.
(function () {
  "use strict";
  // Forms that change something important ask first: <form data-confirm="...">.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
  // Tree nodes: toggle children that were loaded by htmx.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-xc-collapse]");
    if (!button) return;
    var target = document.getElementById(button.getAttribute("data-xc-collapse"));
    if (target && target.childElementCount) {
      event.preventDefault();
      event.stopImmediatePropagation();
      var hidden = target.classList.toggle("d-none");
      button.setAttribute("aria-expanded", hidden ? "false" : "true");
      button.querySelector("i").className = hidden ? "bi bi-caret-right-fill" : "bi bi-caret-down-fill";
    }
  }, true);
})();
document.addEventListener("htmx:afterSwap", function (event) {
  var id = event.detail.target && event.detail.target.id;
  if (!id) return;
  var button = document.querySelector('[data-xc-collapse="' + id + '"]');
  if (button) {
    button.setAttribute("aria-expanded", "true");
    button.querySelector("i").className = "bi bi-caret-down-fill";
  }
});
