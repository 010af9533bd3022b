import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { AppError } from "../errors";
import type { Store } from "../store/store";

/**
 * Opaque, signed pagination cursors: the sort key of the last row seen, base64url JSON, plus an HMAC with
 * a key kept in the store (shared by every gateway on that store). A cursor that was edited or made up
 * is a 400 BAD_CURSOR naming the field, never a query on attacker-chosen keys.
 */
export class Cursors {
  private constructor(private readonly key: Buffer) {}

  static async open(store: Pick<Store, "kv">): Promise<Cursors> {
    const key = (await store.kv.get("cursor-key")) ?? (await store.kv.setIfAbsent("cursor-key", randomBytes(32).toString("hex")));
    return new Cursors(Buffer.from(key, "hex"));
  }

  private mac(payload: string): string {
    return createHmac("sha256", this.key).update(payload).digest("base64url").slice(0, 22);
  }

  encode(kind: string, values: ReadonlyArray<string | number>): string {
    const payload = Buffer.from(JSON.stringify([kind, ...values])).toString("base64url");
    return `${payload}.${this.mac(payload)}`;
  }

  /** The sort key of a cursor of `kind`, or undefined without a cursor; BAD_CURSOR when it was tampered with. */
  decode(kind: string, cursor: string | undefined): Array<string | number> | undefined {
    if (cursor === undefined) return undefined;
    const bad = () => new AppError("BAD_CURSOR", {}, { details: { field: "cursor" } });
    const [payload, mac] = cursor.split(".");
    if (!payload || !mac) throw bad();
    const expected = Buffer.from(this.mac(payload));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw bad();
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    } catch {
      throw bad();
    }
    if (!Array.isArray(parsed) || parsed[0] !== kind) throw bad();
    return parsed.slice(1) as Array<string | number>;
  }
}

/** The page and the next cursor from `limit + 1` rows. */
export function pageOf<R, T>(rows: R[], limit: number, map: (r: R) => T, key: (r: R) => string): { items: T[]; nextCursor: string | null } {
  const more = rows.length > limit;
  const slice = rows.slice(0, limit);
  return { items: slice.map(map), nextCursor: more ? key(slice[slice.length - 1]) : null };
}

/**
 * A WHERE clause built from optional filters, with numbered parameters ($1, $2, … for both stores): each
 * `?` of a condition takes the next value.
 *
 * @example
 * const w = whereOf();
 * if (q.type) w.add("type = ?", q.type);
 * db.query(`SELECT * FROM ix_events ${w.sql()} LIMIT ${w.param(50)}`, w.params);
 */
export function whereOf() {
  const conditions: string[] = [];
  const params: unknown[] = [];
  const param = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  return {
    params,
    param,
    add(condition: string, ...values: unknown[]) {
      conditions.push(values.reduce<string>((s, v) => s.replace("?", param(v)), condition));
    },
    sql: () => (conditions.length ? `WHERE ${conditions.join(" AND ")}` : ""),
  };
}
