// sentisite: small progressive enhancements. Every page works without this file.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  // The classify form: a live character count, Ctrl/Cmd+Enter to send, and a busy button so a
  // second click does not submit the review twice.
  document.querySelectorAll("form[data-classify]").forEach((form) => {
    const textarea = form.querySelector("textarea");
    const button = form.querySelector("button[type=submit]");
    const counter = form.querySelector("[data-char-count]");
    if (!textarea || !button) {
      return;
    }
    if (counter) {
      const max = Number(counter.dataset.max);
      const note = counter.innerHTML;
      counter.setAttribute("aria-live", "polite");
      const update = () => {
        // Count code points, as the server does (an emoji is one character, not two).
        const length = Array.from(textarea.value).length;
        if (length === 0) {
          counter.innerHTML = note;
          counter.classList.remove("form-actions__note--over");
          return;
        }
        counter.textContent = `${length.toLocaleString()} / ${max.toLocaleString()} characters`;
        counter.classList.toggle("form-actions__note--over", length > max);
      };
      textarea.addEventListener("input", update);
      update();
    }
    textarea.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        form.requestSubmit(button);
      }
    });
    form.addEventListener("submit", () => {
      if (button.dataset.busyLabel) {
        button.dataset.idleLabel = button.textContent;
        button.textContent = button.dataset.busyLabel;
      }
      button.setAttribute("aria-busy", "true");
      // Disabled after this tick: a disabled button would drop out of the submitted form.
      setTimeout(() => {
        button.disabled = true;
      }, 0);
    });
  });

  // Copy buttons (hidden until this script shows them, since they need it). What happened is said in the button and,
  // for screen readers, in a status region (data-copy-status), since a button's new label is not announced.
  document.querySelectorAll("[data-copy]").forEach((button) => {
    const source = document.querySelector(button.dataset.copy);
    const status = button.dataset.copyStatus ? document.querySelector(button.dataset.copyStatus) : null;
    if (!source || !navigator.clipboard) {
      return;
    }
    const say = (label, sentence) => {
      button.textContent = label;
      if (status) {
        status.textContent = sentence;
      }
    };
    button.hidden = false;
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(source.value || source.textContent);
        say("Copied", "Copied to the clipboard.");
      } catch {
        source.select();
        say("Press Ctrl+C", "Selected: press Ctrl+C to copy.");
      }
      setTimeout(() => {
        say("Copy", "");
      }, 2000);
    });
  });
});

// Coming back with the browser's Back button restores the page from cache: re-enable the button.
window.addEventListener("pageshow", (event) => {
  if (!event.persisted) {
    return;
  }
  document.querySelectorAll("form[data-classify] button[type=submit]").forEach((button) => {
    button.disabled = false;
    button.removeAttribute("aria-busy");
    if (button.dataset.idleLabel) {
      button.textContent = button.dataset.idleLabel;
    }
  });
});
