// The idle timeout warning (issue 18, WCAG 2.2.1 Timing Adjustable): two minutes before the session ends for
// inactivity (settings.SESSION_IDLE_TIMEOUT), a modal dialog says so and offers 继续使用, which touches the session
// on the server, and — on 附件1/附件3 and other long forms — 保存草稿, which submits the form's own draft button.
// The dialog is a native <dialog> opened with showModal(): focus moves into it, Tab stays in it, Esc closes it.
(function () {
  "use strict";
  var dialog = document.getElementById("session-warning");
  if (!dialog || typeof dialog.showModal !== "function") { return; }
  var WARN_BEFORE = 2 * 60 * 1000;
  var idle = parseInt(dialog.getAttribute("data-idle-seconds"), 10) * 1000;
  var extend = dialog.querySelector("[data-session-extend]");
  var save = dialog.querySelector("[data-session-save]");
  var draft = document.querySelector("button[data-draft]");
  var timer = null;

  function arm() {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { dialog.showModal(); extend.focus(); }, Math.max(idle - WARN_BEFORE, 0));
  }
  function token() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  if (draft) { save.hidden = false; }
  extend.addEventListener("click", function () {
    fetch(dialog.getAttribute("data-extend-url"), {method: "POST", credentials: "same-origin",
                                                    headers: {"X-CSRFToken": token()}})
      .then(function (response) {
        if (!response.ok || response.redirected) { window.location.reload(); return; }  // already signed out
        dialog.close();
        arm();
      })
      .catch(function () { dialog.close(); arm(); });
  });
  save.addEventListener("click", function () { dialog.close(); draft.click(); });
  arm();
})();
