/* Every word the report editor and the notes pad show, from the JavaScript catalogue that
 * base.html loads before these modules (core/catalogue.py). Vietnamese is the source language:
 * without the catalogue the page still works, in Vietnamese. */

const gettext = window.gettext || ((text) => text);
const interpolate = window.interpolate || ((format, values) => format.replace(/%s/g, () => values.shift()));

export const TEXT = {
  saving: gettext("Đang lưu…"),
  saved: gettext("Đã lưu lúc %s"),
  savedLocally: gettext("Mất kết nối: đã lưu trên máy, sẽ gửi khi có mạng"),
  restored: gettext("Đã khôi phục bản chưa gửi được từ lần trước"),
  conflict: gettext("Bài đã được sửa ở thiết bị khác: hãy chọn bản muốn giữ"),
  refused: gettext("Không lưu được: %s"),
  syllables: gettext("%s âm tiết (cần %s–%s)"),
  tooShort: gettext("còn thiếu %s"),
  tooLong: gettext("thừa %s"),
  plan: gettext("Kế hoạch"),
  action: gettext("Việc làm"),
  deadline: gettext("Thời hạn"),
  measure: gettext("Cách đo kết quả"),
  serves: gettext("Phục vụ chỉ tiêu, nhiệm vụ nào của nghị quyết"),
  target: gettext("Ghi chú thêm về chỉ tiêu, nhiệm vụ (nếu có)"),
  notesSaved: gettext("Đã lưu ghi chép"),
  notesQueued: gettext("Mất kết nối: ghi chép lưu trên máy, sẽ gửi khi có mạng"),
};

export function fmt(format, ...values) {
  return interpolate(format, values);
}
