/* Every word the check-in page shows, in one place, from the JavaScript catalogue that base.html
 * loads before this module (core/catalogue.py; the service worker keeps it for offline reloads).
 * Vietnamese is the source language: without the catalogue the page still works, in Vietnamese. */

const gettext = window.gettext || ((text) => text);

export const TEXT = {
  online: gettext("Trực tuyến"),
  offline: gettext("Mất kết nối"),
  syncing: gettext("Đang gửi…"),
  present: gettext("Có mặt"),
  alreadyAt: gettext("Đã điểm danh lúc %s"),
  alreadyBefore: gettext("Đã điểm danh trước đó"),
  invitedAt: gettext("Được mời ở điểm cầu %s"),
  invitedElsewhere: gettext("Được mời ở điểm cầu khác"),
  recordedHere: gettext("Đã ghi nhận có mặt tại điểm cầu này"),
  guest: gettext("Khách không có giấy mời"),
  guestNote: gettext("Đã ghi nhận, tính riêng"),
  undone: gettext("Đã hủy điểm danh"),
  invalidCode: gettext("Mã không hợp lệ"),
  withdrawn: gettext("Giấy mời đã bị rút"),
  replayed: gettext("Lượt quét bị trùng mã, không ghi nhận"),
  nothingToUndo: gettext("Người này chưa được điểm danh"),
  notOpen: gettext("Hội nghị chưa mở điểm danh"),
  rejected: gettext("Không hợp lệ"),
  checking: gettext("Đang kiểm tra…"),
  notInRoster: gettext("Không có trong danh sách điểm cầu"),
  willCheck: gettext("Sẽ kiểm tra khi có mạng"),
  queuedNote: gettext("Đã lưu trên máy, sẽ gửi khi có mạng"),
  waiting: gettext("chờ gửi"),
  sent: gettext("đã gửi"),
  failed: gettext("lỗi"),
  undo: gettext("Hủy"),
  noScans: gettext("Chưa có lượt quét nào."),
  noResults: gettext("Không tìm thấy trong danh sách điểm cầu."),
  typeMore: gettext("Nhập ít nhất 2 chữ cái."),
  presentBadge: gettext("Có mặt"),
  otherPointBadge: gettext("Điểm cầu khác"),
  guestBadge: gettext("Khách"),
  cameraStart: gettext("Quét mã QR"),
  cameraStop: gettext("Tắt camera"),
  cameraDenied: gettext("Không mở được camera: hãy cho phép trình duyệt dùng camera."),
  needLogin: gettext("Phiên đăng nhập đã hết hạn: hãy đăng nhập lại (các lượt quét vẫn được giữ trên máy)."),
  needOnline: gettext("Cần có mạng để gửi."),
  sentOk: gettext("Đã gửi."),
  sendFailed: gettext("Gửi không được: %s"),
  blockMark: gettext("Đánh dấu có mặt"),
  serverError: gettext("Máy chủ đang bận, sẽ thử lại."),
};

export const fmt = (template, value) => template.replace("%s", value);

export function hhmm(iso) {
  const date = new Date(iso);
  // The conference's time, whatever zone the device is set to (DESIGN.md: Asia/Ho_Chi_Minh).
  return date.toLocaleTimeString("vi-VN", {
    hour: "2-digit",
    minute: "2-digit",
    hour12: false,
    timeZone: "Asia/Ho_Chi_Minh",
  });
}
