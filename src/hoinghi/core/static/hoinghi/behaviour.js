/* What pages ask for in their markup, in place of inline handlers (the Content-Security-Policy
 * runs no inline script):
 *
 *   <form data-confirm="Xóa đơn vị này?">  asks first; "Cancel" leaves the form unsent;
 *   <select data-autosubmit>               sends its form as soon as another option is chosen;
 *   <a href="/" data-back>                 goes back a page (to its href when there is none);
 *   <button type="button" data-print>      prints the page (its print stylesheet decides what);
 *   <button data-copy="id" data-copied="…"> copies the value of the field `id` and says so on
 *                                          the button (the words come from the page).
 *
 * The listeners sit on the document, so rows that htmx swaps in later behave the same. The
 * confirmation listens while the event travels down (capture), before any handler of the form
 * itself (htmx's among them) could send it.
 */
(function () {
  "use strict";

  document.addEventListener(
    "submit",
    (event) => {
      const message = event.target.dataset.confirm;
      if (message && !window.confirm(message)) {
        event.preventDefault();
        event.stopPropagation();
      }
    },
    true,
  );

  document.addEventListener("change", (event) => {
    const field = event.target;
    if (!field.matches("[data-autosubmit]") || !field.form) return;
    if (field.form.requestSubmit) field.form.requestSubmit();
    else field.form.submit();
  });

  document.addEventListener("click", (event) => {
    if (event.target.closest("[data-print]")) window.print();
  });

  document.addEventListener("click", async (event) => {
    const button = event.target.closest("[data-copy]");
    const field = button && document.getElementById(button.dataset.copy);
    if (!field) return;
    field.select();
    try {
      await navigator.clipboard.writeText(field.value);
    } catch (error) {
      document.execCommand("copy"); // an http:// address has no clipboard API
    }
    if (button.dataset.copied) button.textContent = button.dataset.copied;
  });

  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-back]");
    if (!link || window.history.length < 2) return;
    event.preventDefault();
    window.history.back();
  });
})();
