// GOV.UK Frontend's components, and the run page's count kept up to date while it works.
import { initAll } from "./govuk/govuk-frontend.min.js";

initAll();

// GOV.UK Frontend's file upload button puts its status ("No file chosen") and its "Choose
// file" text side by side with no space between, so the words it shows run together
// ("chosenChoose") and no longer match its accessible name (WCAG 2.5.3, label in name).
for (const status of document.querySelectorAll(".govuk-file-upload-button__status")) {
  status.after(document.createTextNode(" "));
}

const progress = document.querySelector("[data-progress-url]");
if (progress) {
  const count = progress.querySelector("[data-progress-count]");
  const poll = async () => {
    try {
      const response = await fetch(progress.dataset.progressUrl, { cache: "no-store" });
      if (!response.ok) {
        window.location.reload(); // the page itself says what happened (signed out, deleted)
        return;
      }
      const status = await response.json();
      if (!status.working) {
        window.location.reload();
        return;
      }
      count.textContent = status.text;
    } catch (error) {
      // The server may be restarting; the next poll tries again.
    }
    window.setTimeout(poll, 1000);
  };
  window.setTimeout(poll, 1000);
}
