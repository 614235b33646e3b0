// Draws build/icon.png (1024×1024) with no downloads and no image library: a rounded tile with a few bars of a
// call-volume chart and a handset dot, encoded as PNG with node:zlib. electron-builder derives .ico/.icns from it.
// Run: node build/make-icon.mjs
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const SIZE = 1024;
const px = Buffer.alloc(SIZE * SIZE * 4);

function set(x, y, [r, g, b], a = 255) {
  const i = (y * SIZE + x) * 4;
  px[i] = r;
  px[i + 1] = g;
  px[i + 2] = b;
  px[i + 3] = a;
}

const inRoundRect = (x, y, x0, y0, x1, y1, rad) => {
  const cx = Math.min(Math.max(x, x0 + rad), x1 - rad);
  const cy = Math.min(Math.max(y, y0 + rad), y1 - rad);
  return x >= x0 && x <= x1 && y >= y0 && y <= y1 && (x - cx) ** 2 + (y - cy) ** 2 <= rad ** 2;
};

const bars = [
  [250, 560], [370, 430], [490, 300], [610, 480], [730, 380],
].map(([x, top]) => ({ x0: x, x1: x + 80, top }));

for (let y = 0; y < SIZE; y++) {
  for (let x = 0; x < SIZE; x++) {
    if (!inRoundRect(x, y, 64, 64, 960, 960, 200)) continue;
    // Tile: a vertical teal-to-indigo gradient.
    const t = y / SIZE;
    set(x, y, [Math.round(20 + 40 * t), Math.round(150 - 80 * t), Math.round(160 + 60 * t)]);
    for (const b of bars) if (inRoundRect(x, y, b.x0, b.top, b.x1, 800, 24)) set(x, y, [245, 248, 250]);
    if ((x - 770) ** 2 + (y - 230) ** 2 <= 70 ** 2) set(x, y, [255, 196, 61]);
  }
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header[8] = 8; // bit depth
header[9] = 6; // RGBA
const rows = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let y = 0; y < SIZE; y++) px.copy(rows, y * (SIZE * 4 + 1) + 1, y * SIZE * 4, (y + 1) * SIZE * 4); // filter 0 per row

const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(rows, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
writeFileSync(new URL('./icon.png', import.meta.url), png);
console.log(`build/icon.png: ${SIZE}×${SIZE}, ${png.length} bytes`);
