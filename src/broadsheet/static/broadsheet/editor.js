// The post editor, made better with script: live preview, autosave, a copy kept in this
// browser until the server has it, and image upload into the text. Without script the
// form still does all of it through its buttons.
(() => {
  "use strict";
  const form = document.getElementById("editor-form");
  if (!form) return;
  const body = form.elements.body;
  const preview = document.getElementById("preview");
  const state = document.getElementById("save-state");
  const token = form.elements.csrfmiddlewaretoken.value;
  const localKey = "broadsheet:editor:" + form.getAttribute("action");
  let dirty = false;
  let submitting = false;
  let previewTimer = null;
  let saveTimer = null;
  let saving = null;

  const say = (text) => { state.textContent = text; };
  const time = () => new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });

  // An answer that is not our JSON (a login page after the session ended, a proxy error).
  async function jsonOf(response) {
    try {
      return await response.json();
    } catch {
      return { error: response.status === 403 || response.redirected ? "Your session has ended: sign in again in another tab, then save." : `The server answered ${response.status}.` };
    }
  }

  function autosaveData() {
    const data = new FormData(form);
    data.delete("action");
    return data;
  }

  async function renderPreview() {
    const data = new FormData();
    data.append("body", body.value);
    data.append("csrfmiddlewaretoken", token);
    const response = await fetch(form.dataset.previewUrl, { method: "POST", body: data, credentials: "same-origin" });
    if (response.ok) preview.innerHTML = await response.text();
  }

  async function autosave() {
    if (saving || submitting) return;
    saving = fetch(form.dataset.autosaveUrl, { method: "POST", body: autosaveData(), credentials: "same-origin" });
    try {
      const response = await saving;
      const result = await jsonOf(response);
      if (!response.ok) { say(result.error || "Not saved."); return; }
      dirty = false;
      localStorage.removeItem(localKey);
      form.elements.version.value = result.version;
      form.dataset.autosaveUrl = result.autosave_url;
      if (form.getAttribute("action") !== result.edit_url) {
        form.setAttribute("action", result.edit_url);
        history.replaceState(null, "", result.edit_url);
      }
      say(result.live ? `Changes kept at ${time()}; readers see them when you press Update.` : `Saved at ${time()}.`);
    } catch {
      say("Could not reach the server; your text is kept in this browser.");
    } finally {
      saving = null;
    }
  }

  function keepLocally() {
    try {
      localStorage.setItem(localKey, JSON.stringify({ title: form.elements.title.value, body: body.value, at: Date.now() }));
    } catch { /* storage full or disabled: the server copy still comes */ }
  }

  form.addEventListener("input", (event) => {
    if (!event.target.name) return; // the insert forms' fields are not part of the post
    dirty = true;
    keepLocally();
    say("Unsaved changes…");
    clearTimeout(saveTimer);
    saveTimer = setTimeout(autosave, 2000);
    if (event.target === body) {
      clearTimeout(previewTimer);
      previewTimer = setTimeout(renderPreview, 300);
    }
  });

  form.addEventListener("submit", () => {
    submitting = true;
    clearTimeout(saveTimer);
    localStorage.removeItem(localKey);
  });

  // Closing the tab: hand the last changes to the server without waiting for an answer.
  window.addEventListener("pagehide", () => {
    if (dirty && !submitting) navigator.sendBeacon(form.dataset.autosaveUrl, autosaveData());
  });

  // A copy from this browser that the server never got (a crash, a lost connection).
  const kept = JSON.parse(localStorage.getItem(localKey) || "null");
  if (kept && kept.body !== body.value) {
    const offer = document.createElement("p");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "secondary";
    button.textContent = "Restore the text kept in this browser";
    offer.append(`This browser kept text from ${new Date(kept.at).toLocaleString()} that was not saved. `, button);
    state.before(offer);
    button.addEventListener("click", () => {
      form.elements.title.value = kept.title;
      body.value = kept.body;
      offer.remove();
      body.dispatchEvent(new Event("input", { bubbles: true }));
    });
  }

  // Images: upload, then insert Markdown at the cursor.
  const insert = form.querySelector(".image-insert");
  if (insert && form.dataset.uploadUrl) {
    insert.hidden = false;
    const file = document.getElementById("insert-image");
    const alt = document.getElementById("insert-image-alt");
    const decorative = document.getElementById("insert-image-decorative");
    document.getElementById("insert-image-button").addEventListener("click", async () => {
      if (!file.files.length) { say("Choose an image first."); file.focus(); return; }
      const data = new FormData();
      data.append("file", file.files[0]);
      data.append("alt", alt.value);
      if (decorative.checked) data.append("decorative", "on");
      say("Uploading…");
      const response = await fetch(form.dataset.uploadUrl, {
        method: "POST", body: data, credentials: "same-origin", headers: { "X-CSRFToken": token },
      });
      const result = await jsonOf(response);
      if (!response.ok) { say(result.error || "The upload failed."); return; }
      const at = body.selectionStart ?? body.value.length;
      body.setRangeText(`\n\n${result.markdown}\n\n`, at, body.selectionEnd ?? at, "end");
      // The new image can be the cover too, without reloading the page.
      const cover = form.elements.cover_image;
      if (cover && !cover.querySelector(`option[value="${result.id}"]`)) {
        cover.add(new Option(result.alt || file.files[0].name, result.id), 1);
      }
      file.value = "";
      alt.value = "";
      decorative.checked = false;
      say("Image inserted.");
      body.focus();
      body.dispatchEvent(new Event("input", { bubbles: true }));
    });
  }

  // Predictions: a block in the format `predictions/blocks.py` reads, one field a line.
  const predictionForm = form.querySelector(".prediction-insert-form");
  if (predictionForm) {
    predictionForm.hidden = false;
    const field = (name) => document.getElementById(`prediction-${name}`);
    const oneLine = (text) => text.trim().split(/\s+/).join(" ");
    const tell = (text, where) => {
      document.getElementById("prediction-insert-state").textContent = text;
      if (where) field(where).focus();
    };
    document.getElementById("prediction-insert-button").addEventListener("click", () => {
      const statement = oneLine(field("statement").value);
      const percent = Math.round(Number(field("probability").value) * 100) / 100;
      const resolves = field("resolves").value;
      const criteria = oneLine(field("criteria").value);
      const source = field("source").value.trim();
      if (!statement) return tell("Write what you expect to happen.", "statement");
      if (!field("probability").value || !(percent > 0 && percent < 100)) return tell("Give a probability more than 0% and less than 100%.", "probability");
      if (!/^\d{4}-\d{2}-\d{2}$/.test(resolves)) return tell("Give the date it will be known by (YYYY-MM-DD).", "resolves");
      if (source && !/^https?:\/\/\S+$/.test(source)) return tell("The source must be a web address (https://…).", "source");
      const lines = ["```prediction", statement, `probability: ${percent}%`, `resolves: ${resolves}`];
      if (criteria) lines.push(`criteria: ${criteria}`);
      if (source) lines.push(`source: ${source}`);
      lines.push("```");
      const at = body.selectionStart ?? body.value.length;
      body.setRangeText(`\n\n${lines.join("\n")}\n\n`, at, body.selectionEnd ?? at, "end");
      for (const name of ["statement", "probability", "resolves", "criteria", "source"]) field(name).value = "";
      tell("Prediction inserted.");
      body.focus();
      body.dispatchEvent(new Event("input", { bubbles: true }));
    });
  }

  if (preview && body.value && !preview.querySelector(":not(.hint)")) renderPreview();
})();
