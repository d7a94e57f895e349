/* A type-ahead over a long select (the 289 municipalities of the registration form): a
   search box above it keeps only the options whose name contains what is typed (in any
   case), selects the first of them, and says how many match in a polite live region. The
   select stays the form's field: without JavaScript it is the plain list. */
(function () {
  "use strict";
  document.querySelectorAll("select[data-typeahead]").forEach(function (select, index) {
    var all = Array.prototype.slice.call(select.options);
    var empty = all.length && all[0].value === "" ? all[0] : null;
    var wrapper = document.createElement("div");
    wrapper.className = "mb-2";
    var label = document.createElement("label");
    var input = document.createElement("input");
    var status = document.createElement("div");
    input.type = "search";
    input.id = "typeahead-" + index;
    input.className = "form-control";
    input.autocomplete = "off";
    input.setAttribute("aria-controls", select.id);
    label.htmlFor = input.id;
    label.className = "form-label small";
    label.textContent = select.dataset.filterLabel;
    status.className = "form-text";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    wrapper.appendChild(label);
    wrapper.appendChild(input);
    wrapper.appendChild(status);
    select.parentNode.insertBefore(wrapper, select);

    function fold(text) {
      return text.toLocaleLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
    }
    var keys = all.map(function (option) { return fold(option.textContent); });

    input.addEventListener("input", function () {
      var query = fold(input.value.trim());
      var chosen = select.value;
      var matches = all.filter(function (option, i) {
        return option !== empty && (!query || keys[i].indexOf(query) !== -1);
      });
      select.replaceChildren();
      if (!query && empty) { select.appendChild(empty); }
      matches.forEach(function (option) { select.appendChild(option); });
      var keep = matches.some(function (option) { return option.value === chosen; });
      if (query && matches.length && !keep) { select.value = matches[0].value; }
      else if (keep) { select.value = chosen; }
      status.textContent = query ? select.dataset.count.replace("%(count)s", matches.length) : "";
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "Enter") {
        event.preventDefault();
        select.focus();
      }
    });
  });
})();
