/* The camera: QR codes read with the browser's BarcodeDetector where there is one, jsQR elsewhere. */

import { $ } from "./page.js";
import { TEXT } from "./i18n.js";
import { recordQr } from "./record.js";
import { problem } from "./ui.js";

export const camera = { stream: null, timer: null, detector: null, last: "", lastAt: 0, canvas: null };

export async function cameraStart() {
  try {
    camera.stream = await navigator.mediaDevices.getUserMedia({
      video: { facingMode: "environment", width: { ideal: 1280 }, height: { ideal: 720 } },
      audio: false,
    });
  } catch (error) {
    problem(TEXT.cameraDenied);
    return;
  }
  problem("");
  const video = $("ci-video");
  video.srcObject = camera.stream;
  await video.play();
  $("ci-camera").hidden = false;
  $("ci-camera-toggle").textContent = TEXT.cameraStop;
  if ("BarcodeDetector" in window) {
    try {
      const formats = await window.BarcodeDetector.getSupportedFormats();
      if (formats.includes("qr_code")) camera.detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    } catch (error) {
      camera.detector = null;
    }
  }
  camera.timer = setInterval(cameraTick, 180);
}

export function cameraStop() {
  clearInterval(camera.timer);
  if (camera.stream) camera.stream.getTracks().forEach((track) => track.stop());
  camera.stream = null;
  $("ci-camera").hidden = true;
  $("ci-camera-toggle").textContent = TEXT.cameraStart;
}

let decoding = false;

async function cameraTick() {
  const video = $("ci-video");
  if (decoding || !camera.stream || video.readyState < 2) return;
  decoding = true;
  try {
    let text = "";
    if (camera.detector) {
      const codes = await camera.detector.detect(video);
      text = codes.length ? codes[0].rawValue : "";
    } else if (window.jsQR) {
      const scale = Math.min(1, 640 / video.videoWidth);
      const width = Math.round(video.videoWidth * scale);
      const height = Math.round(video.videoHeight * scale);
      camera.canvas = camera.canvas || document.createElement("canvas");
      camera.canvas.width = width;
      camera.canvas.height = height;
      const context = camera.canvas.getContext("2d", { willReadFrequently: true });
      context.drawImage(video, 0, 0, width, height);
      const image = context.getImageData(0, 0, width, height);
      const code = window.jsQR(image.data, width, height, { inversionAttempts: "dontInvert" });
      text = code ? code.data : "";
    }
    // A badge held in front of the camera is one scan, not one per frame: the same code counts
    // again only after it has been out of sight for a moment.
    const now = Date.now();
    if (text) {
      const isNew = text !== camera.last || now - camera.lastAt > 2500;
      camera.last = text;
      camera.lastAt = now;
      if (isNew) await recordQr(text);
    }
  } finally {
    decoding = false;
  }
}
