// Notes when the reader starts writing a comment, so the server can tell a person (who
// takes a while) from software that posts at once. Without script the check is skipped.
(() => {
  "use strict";
  const form = document.getElementById("comment-form");
  if (!form || !form.elements.started) return;
  form.addEventListener("input", () => {
    if (!form.elements.started.value) form.elements.started.value = String(Date.now());
  });
})();
