/** Small real PNG images for the demo's works, drawn from a seed (the same seed gives the same bytes). */
import { crc32, deflateSync } from "node:zlib";

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0);
  return Buffer.concat([len, body, crc]);
}

export type Palette = "dawn" | "dunhuang";

const PALETTES: Record<Palette, { top: [number, number, number]; bottom: [number, number, number]; ink: [number, number, number] }> = {
  // A sky from deep blue to orange over a dark ridge: the Great Wall at sunrise.
  dawn: { top: [28, 42, 94], bottom: [247, 160, 72], ink: [40, 32, 30] },
  // Ochre and malachite of the Mogao cave murals.
  dunhuang: { top: [176, 96, 52], bottom: [232, 196, 140], ink: [34, 120, 104] },
};

/**
 * A `size`×`size` RGB PNG: a vertical gradient with a ridge line shaped by `seed`, plus a tEXt chunk naming
 * the work, so that each seed has its own sha256.
 *
 * @example
 * const bytes = drawPng("great-wall", "dawn");
 */
export function drawPng(seed: string, palette: Palette, size = 128): Uint8Array {
  const p = PALETTES[palette];
  let h = 0;
  for (const ch of seed) h = (h * 31 + ch.codePointAt(0)!) >>> 0;
  const raw = Buffer.alloc((size * 3 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 3 + 1)] = 0; // filter: none
    for (let x = 0; x < size; x++) {
      const ridge = size * 0.62 + Math.sin((x + (h % 97)) / 9) * 7 + Math.sin((x + (h % 31)) / 23) * 11;
      const t = y / (size - 1);
      const sky = p.top.map((c, i) => Math.round(c + (p.bottom[i] - c) * t));
      const rgb = y > ridge ? p.ink : sky;
      const o = y * (size * 3 + 1) + 1 + x * 3;
      raw[o] = rgb[0];
      raw[o + 1] = rgb[1];
      raw[o + 2] = rgb[2];
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return new Uint8Array(
    Buffer.concat([
      Buffer.from("89504e470d0a1a0a", "hex"),
      chunk("IHDR", ihdr),
      chunk("tEXt", Buffer.from(`Title\0${seed}`, "latin1")),
      chunk("IDAT", deflateSync(raw)),
      chunk("IEND", Buffer.alloc(0)),
    ]),
  );
}
