/* The jury sheet autosaves each field with htmx as the juror types. A field changed in the
   last moments before the page is closed is sent with navigator.sendBeacon, so nothing is
   lost. A refused value (422) still shows its message. */
(function () {
  "use strict";
  htmx.config.responseHandling = [
    {code: "204", swap: false},
    {code: "[23]..", swap: true},
    {code: "422", swap: true, error: false},
    {code: "[45]..", swap: false, error: true},
  ];
  var form = document.getElementById("sheet-form");
  if (!form) { return; }
  var dirty = new Set();
  form.addEventListener("input", function (event) {
    if (event.target.name) { dirty.add(event.target.name); }
  });
  form.addEventListener("change", function (event) {
    if (event.target.name) { dirty.add(event.target.name); }
  });
  document.body.addEventListener("htmx:afterRequest", function (event) {
    var source = event.detail.elt;
    if (event.detail.successful && source && source.name) { dirty.delete(source.name); }
  });
  function flush() {
    if (!dirty.size) { return; }
    var data = new FormData();
    data.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    dirty.forEach(function (name) {
      var field = form.elements[name];
      if (field) { data.append(name, field.value); }
    });
    if (navigator.sendBeacon(form.dataset.autosaveUrl, data)) { dirty.clear(); }
  }
  form.addEventListener("submit", function () { dirty.clear(); });
  // Back to this page from the browser's back-forward cache (after submitting, say): ask
  // the server again, so the page shows the sheet as it is now, locked if submitted.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) { window.location.reload(); }
  });
  window.addEventListener("pagehide", flush);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { flush(); }
  });
})();
