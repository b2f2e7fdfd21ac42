/* The what-if panel: each tick asks the engine (JSON, nothing saved) and shows the level reached.
   Without JavaScript the form posts and the page re-renders with the same answer. */
(function () {
  "use strict";
  var box = document.getElementById("whatif");
  if (!box || !window.fetch) { return; }
  var form = box.querySelector("form");
  var out = document.getElementById("whatif-result");
  var url = box.getAttribute("data-url");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var button = form.querySelector("button.no-js");
  if (button) { button.hidden = true; }

  function text(tag, value, cls) {
    var el = document.createElement(tag);
    el.textContent = value;
    if (cls) { el.className = cls; }
    return el;
  }

  function render(v) {
    out.textContent = "";
    var p = document.createElement("p");
    p.appendChild(text("strong", v.level_name, "level level-" + v.level));
    if (v.path_clause) { p.appendChild(document.createTextNode(" ")); p.appendChild(text("span", v.path_clause, "clause")); }
    out.appendChild(p);
    if (v.next_level_name && v.missing.length) {
      out.appendChild(text("p", box.getAttribute("data-need").replace("{level}", v.next_level_name)));
      var ul = document.createElement("ul");
      ul.className = "missing";
      v.missing.forEach(function (m) { ul.appendChild(text("li", m)); });
      out.appendChild(ul);
    }
    if (!v.may_apply) { out.appendChild(text("p", box.getAttribute("data-not-eligible"), "bad")); }
  }

  function update() {
    var options = Array.prototype.map.call(form.querySelectorAll("input[name=options]:checked"), function (i) { return i.value; });
    fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token, "Accept": "application/json" },
      body: JSON.stringify({ options: options })
    }).then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(render)
      .catch(function () { form.submit(); });
  }

  form.addEventListener("change", update);
  form.addEventListener("submit", function (e) { e.preventDefault(); update(); });
}());
