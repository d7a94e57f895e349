/* The practice form: a character counter under each field with a limit, and, on the edit
   form, an autosave like the jury sheet's. A few seconds after the officer stops typing (and
   when the page is hidden) the whole form is posted with the version it holds; the answer
   gives the new version, so the next save (automatic or by the button) is not taken for a
   stale one. A save refused (changed elsewhere, a field to correct) is said in the status
   line, a polite live region, and the button save shows the details. */
(function () {
  "use strict";
  var form = document.getElementById("practice-form");
  if (!form) { return; }

  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (_m, key) { return values[key]; });
  }

  form.querySelectorAll("[data-counter][maxlength]").forEach(function (field) {
    var counter = document.createElement("div");
    counter.className = "form-text text-end";
    counter.setAttribute("data-counter-for", field.name);
    field.insertAdjacentElement("afterend", counter);
    function update() {
      counter.textContent = fill(form.dataset.counterText,
        {count: field.value.length, max: field.getAttribute("maxlength")});
    }
    field.addEventListener("input", update);
    update();
  });

  var url = form.dataset.autosaveUrl;
  if (!url) { return; }
  var status = document.getElementById("autosave-status");
  var version = form.querySelector("[name=version]");
  var timer = null, dirty = false, busy = false, stopped = false;

  function say(text) { status.textContent = text; }

  function save() {
    timer = null;
    if (!dirty || busy || stopped) { return; }
    dirty = false;
    busy = true;
    say(form.dataset.saving);
    fetch(url, {method: "POST", body: new FormData(form), credentials: "same-origin",
                headers: {"X-Requested-With": "XMLHttpRequest"}})
      .then(function (response) {
        return response.json().then(function (body) { return {ok: response.ok, body: body}; });
      })
      .then(function (answer) {
        busy = false;
        if (answer.ok) {
          version.value = answer.body.version;
          say(fill(form.dataset.saved, {time: answer.body.saved_at}));
          if (dirty) { schedule(); }
        } else {
          say(answer.body.error);
        }
      })
      .catch(function () { busy = false; dirty = true; say(form.dataset.failed); });
  }

  function schedule() {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(save, 2000);
  }

  function changed(event) {
    if (!event.target.name || event.target.name === "version") { return; }
    dirty = true;
    schedule();
  }
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function () { stopped = true; if (timer) { clearTimeout(timer); } });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && dirty) { save(); }
  });
})();
