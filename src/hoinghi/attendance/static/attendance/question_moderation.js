/* The moderators' page (views/questions.py, moderation): the list reloads itself when questions
 * change elsewhere (a point sends one, another moderator approves one).
 *
 * The list is forms (each with the moderator's CSRF token and merge choices), so it is not drawn
 * from the socket's data: the page follows the questions' live view (consumers.ModerationConsumer)
 * and, when a snapshot is newer than the list shown (the list carries the version it was read at,
 * data-version), fetches the list once, with the filters chosen, as the filters themselves do.
 * A list being worked on (an answer or a merge open, a field in focus) is reloaded once it is left.
 * While the socket is down the list is fetched every config.every ms.
 */
(function () {
  "use strict";

  const $ = (id) => document.getElementById(id);
  const config = JSON.parse($("moderation-config").textContent);
  const list = $("question-list");
  let waiting = false; // a newer list waits for the moderator to finish

  const version = () => {
    const shown = list.querySelector("[data-version]");
    return shown ? Number(shown.dataset.version) : -1;
  };

  const isBusy = () =>
    list.querySelector("details[open]") !== null || (document.activeElement && list.contains(document.activeElement) && document.activeElement.matches("textarea, select, input"));

  function reload() {
    if (isBusy()) {
      waiting = true;
      return Promise.resolve();
    }
    waiting = false;
    const query = new URLSearchParams(new FormData($("question-filters"))).toString();
    return window.htmx.ajax("GET", config.list + "?" + query, { target: "#question-list", swap: "innerHTML" });
  }

  function receive(message) {
    if (message.type === "snapshot" && message.version > version()) reload();
  }

  function resume() {
    if (waiting) setTimeout(() => waiting && reload(), 0); // after the focus or the toggle settled
  }

  function start() {
    list.addEventListener("toggle", resume, true);
    list.addEventListener("focusout", resume);
    window.hoinghi.live.follow({ socket: config.socket, receive, poll: reload, every: config.every });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
