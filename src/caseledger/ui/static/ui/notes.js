// The case note form: show only the questions the type of contact asks, and save the draft
// as the author types (every 20 seconds when something changed, and when they leave the page).
// Without JavaScript every question is shown and "Save draft" saves.

const form = document.querySelector("form[data-module='app-autosave'], form:has(.app-visit-questions)");

function showVisitQuestions() {
  const select = document.querySelector("select[name='contact_type']");
  if (!select) return;
  for (const block of document.querySelectorAll(".app-visit-questions")) {
    const types = (block.dataset.visitTypes || "").split(" ");
    block.hidden = !types.includes(select.value);
  }
}

function startAutosave(form) {
  const status = document.getElementById("autosave-status");
  let changed = false;
  let saving = false;
  form.addEventListener("input", () => { changed = true; });
  form.addEventListener("change", () => { changed = true; });
  form.addEventListener("submit", () => { changed = false; });

  async function save() {
    if (!changed || saving) return;
    saving = true;
    changed = false;
    const body = new FormData(form);
    body.set("action", "autosave");
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: { "Accept": "application/json" },
      });
      const result = await response.json();
      if (result.saved && result.url && !form.action.endsWith(result.url)) {
        // The first autosave created the draft: from now on, save to it.
        form.action = result.url;
        window.history.replaceState(null, "", result.url);
      }
      if (status) status.textContent = result.message;
    } catch {
      changed = true;
      if (status) status.textContent = "Your draft could not be saved automatically. Use Save draft.";
    } finally {
      saving = false;
    }
  }

  window.setInterval(save, 20000);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") save();
  });
}

if (form) {
  const select = document.querySelector("select[name='contact_type']");
  if (select) {
    select.addEventListener("change", showVisitQuestions);
    showVisitQuestions();
  }
  if (form.dataset.module === "app-autosave") startAutosave(form);
}

// The recording assistant's findings link to the note's text box: select the words found.
for (const link of document.querySelectorAll("a[data-select-start]")) {
  link.addEventListener("click", (event) => {
    const box = document.querySelector(link.getAttribute("href"));
    if (!box || typeof box.setSelectionRange !== "function") return;
    event.preventDefault();
    box.focus();
    box.setSelectionRange(Number(link.dataset.selectStart), Number(link.dataset.selectEnd));
  });
}
