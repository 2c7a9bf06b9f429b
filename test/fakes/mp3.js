// A real, decodable MP3 for fakes that speak: an ID3v2 header, then silent MPEG-1 Layer III frames (128 kbit/s,
// 44.1 kHz, 417 bytes, 1152 samples = 26 ms each), one frame per 5 characters of text. Browsers play it; a test can
// tell a long reply from a short one by its length. Plain Uint8Array so Node fakes and page fakes share it.
const FRAME_BYTES = 417;
const ID3 = [0x49, 0x44, 0x33, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00];

export function fakeMp3Bytes(text) {
  const frames = Math.max(1, Math.ceil(text.length / 5));
  const out = new Uint8Array(ID3.length + frames * FRAME_BYTES);
  out.set(ID3, 0);
  for (let i = 0; i < frames; i++) out.set([0xff, 0xfb, 0x90, 0x64], ID3.length + i * FRAME_BYTES);
  return out;
}
