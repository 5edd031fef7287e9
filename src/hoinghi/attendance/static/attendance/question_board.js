/* The presiding board's screen (views/questions.py, board): the approved questions of the
 * programme item going on now, or of the one chosen (?muc=), oldest first, as big as the screen
 * allows.
 *
 * The page is drawn by the server once; then it follows the questions' live view
 * (consumers.BoardConsumer, questions.LIVE_VIEW): a snapshot holds the programme, the item going
 * on now and every item's questions on the board, and comes on connect, when a question is
 * approved, answered, merged or reopened, and every 15 s (the programme moves on with the clock).
 * It is drawn as question_board_list.html draws the first one. While the socket is down the page
 * polls the same snapshot (config.poll) every config.every ms.
 */
(function () {
  "use strict";

  const $ = (id) => document.getElementById(id);
  const gettext = window.gettext || ((text) => text); // the JavaScript catalogue (core/catalogue.py)
  const ngettext = window.ngettext || ((one, other, n) => (n === 1 ? one : other));
  const interpolate = window.interpolate || ((format, values) => format.replace("%s", values[0]));
  const config = JSON.parse($("board-config").textContent);
  const STATES = {
    connecting: gettext("Đang kết nối…"),
    live: gettext("Trực tiếp"),
    polling: gettext("Dự phòng: cập nhật 5 giây một lần"),
    down: gettext("Mất kết nối máy chủ — đang thử lại"),
    forbidden: "",
  };
  let shown = -1; // the version drawn

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function entry(question) {
    const li = element("li", question.answered ? "answered" : "");
    li.dataset.question = question.id;
    li.append(element("p", "text", question.text));
    let who = question.asker;
    const merged = question.merged_points.length;
    if (merged) {
      const similar = ngettext("và %s câu hỏi tương tự", "và %s câu hỏi tương tự", merged);
      who += " · " + interpolate(similar, [merged]) + " (" + question.merged_points.join(", ") + ")";
    }
    li.append(element("span", "who", who));
    if (question.answered) li.append(element("span", "done", "✓ " + gettext("Đã trả lời")));
    return li;
  }

  function draw(snapshot) {
    if (!snapshot || snapshot.type !== "snapshot" || snapshot.version < shown) return;
    shown = snapshot.version;
    const itemId = config.pinned !== null ? config.pinned : snapshot.current_item;
    const item = snapshot.items.find((candidate) => candidate.id === itemId) || null;
    $("board-item").textContent = item ? item.label : snapshot.conference.title;
    const questions = snapshot.questions.filter((question) => question.item === (item ? item.id : null));
    let list;
    if (questions.length) {
      list = element("ol", "board-list");
      list.dataset.item = item ? item.id : "";
      list.append(...questions.map(entry));
    } else {
      list = element("p", "board-empty", gettext("Chưa có câu hỏi được duyệt cho nội dung này."));
    }
    list.id = "board-list";
    $("board-questions").replaceChildren(list);
  }

  function start() {
    window.hoinghi.live.follow({
      socket: config.socket,
      receive: draw,
      poll: () => window.hoinghi.live.json(config.poll).then(draw),
      every: config.every,
      status: (state) => {
        $("board-status").dataset.state = state;
        $("board-status").textContent = STATES[state];
      },
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
