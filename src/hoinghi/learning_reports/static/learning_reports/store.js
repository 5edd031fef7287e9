/* What the page keeps in the browser (localStorage) until the server has it: a closed tab, a
 * reload or a dropped link loses nothing. One JSON value per key; a full or unavailable storage
 * (private mode) only means nothing survives a closed tab. */

export function load(key, fallback) {
  try {
    const text = window.localStorage.getItem(key);
    return text ? JSON.parse(text) : fallback;
  } catch (error) {
    return fallback;
  }
}

export function keep(key, value) {
  try {
    window.localStorage.setItem(key, JSON.stringify(value));
  } catch (error) {
    /* storage full or refused: the in-memory copy is still sent */
  }
}

export function forget(key) {
  try {
    window.localStorage.removeItem(key);
  } catch (error) {
    /* nothing to do */
  }
}

export async function put(url, body) {
  const response = await fetch(url, {
    method: "PUT",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify(body),
  });
  const data = await response.json().catch(() => ({}));
  return { status: response.status, ok: response.ok, data };
}

export function hhmm(date) {
  return date.toLocaleTimeString("vi-VN", { hour: "2-digit", minute: "2-digit", second: "2-digit" });
}
