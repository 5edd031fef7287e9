/* The invitee's page: checking oneself in at the point when nobody scans the code
 * (POST /api/invitations/<token>/checkin, attendance's API). */
(function () {
  "use strict";

  const gettext = window.gettext || ((text) => text); // the JavaScript catalogue (core/catalogue.py)

  async function checkIn(event) {
    const button = event.currentTarget;
    const result = document.getElementById("self-checkin-result");
    button.disabled = true;
    try {
      const response = await fetch(button.dataset.url, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ id: crypto.randomUUID() }),
      });
      const body = await response.json();
      result.textContent = response.ok
        ? body.outcome === "already_present"
          ? gettext("Đồng chí đã được điểm danh trước đó.")
          : gettext("Đã điểm danh. Cảm ơn đồng chí.")
        : body.message;
      result.className = response.ok ? "small ok-text" : "small danger-text";
    } catch (error) {
      result.textContent = gettext("Không gửi được: kiểm tra kết nối rồi thử lại.");
    } finally {
      button.disabled = false;
    }
  }

  function start() {
    const button = document.getElementById("self-checkin");
    if (button) button.addEventListener("click", checkIn);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
