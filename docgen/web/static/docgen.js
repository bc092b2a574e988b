// GOV.UK Frontend's components, and the run page's count kept up to date while it works.
import { initAll } from "./govuk/govuk-frontend.min.js";

initAll();

const progress = document.querySelector("[data-progress-url]");
if (progress) {
  const count = progress.querySelector("[data-progress-count]");
  const poll = async () => {
    try {
      const response = await fetch(progress.dataset.progressUrl, { cache: "no-store" });
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
