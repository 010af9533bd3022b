/** Files in the browser: hashes by WebCrypto, downloads, CSV. */

export const toHex = (bytes: ArrayBuffer | Uint8Array) =>
  `0x${Array.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("")}`;

/** The sha256 of a file or text, 0x-prefixed hex, computed in the browser (the file never leaves it). */
export async function sha256Hex(data: Blob | string): Promise<`0x${string}`> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : new Uint8Array(await data.arrayBuffer());
  return toHex(await crypto.subtle.digest("SHA-256", bytes)) as `0x${string}`;
}

/** Saves a blob as a file. */
export function download(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Parses CSV (RFC 4180: quotes, doubled quotes, CRLF or LF); blank lines are dropped. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  const s = text.replace(/^\uFEFF/, "");
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === "") quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && s[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.map((r) => r.map((f) => f.trim())).filter((r) => r.some((f) => f !== ""));
}

/**
 * CSV rows as records keyed by the names in `columns`. When the first row is a header (it names one of
 * `columns`, in any case), its cells name the columns; otherwise the columns come in the order given.
 */
export function csvRecords(text: string, columns: readonly string[]): Array<Record<string, string>> {
  const rows = parseCsv(text);
  if (rows.length === 0) return [];
  const known = new Map(columns.map((c) => [c.toLowerCase(), c]));
  const hasHeader = rows[0].some((h) => known.has(h.toLowerCase()));
  const names = hasHeader ? rows[0].map((h) => known.get(h.toLowerCase()) ?? h) : [...columns];
  return (hasHeader ? rows.slice(1) : rows).map((r) => Object.fromEntries(names.map((c, i) => [c, r[i] ?? ""])));
}

/** A random id for an Idempotency-Key. */
export const randomKey = (prefix: string) => `${prefix}-${crypto.randomUUID()}`;
