/**
 * What the demo creates: one licensed issuer, three collectors and two collections. Everything is fixed,
 * so a second run finds what the first one made (same wallets, same media, same evidence hashes) and adds
 * nothing. The wallets are derived from Hardhat's well-known development mnemonic: local chains only.
 */
import { HDNodeWallet } from "ethers";
import { drawPng, type Palette } from "./png";

/** Hardhat's and anvil's default mnemonic. */
export const DEV_MNEMONIC = "test test test test test test test test test test test junk";

export const devWallet = (index: number): HDNodeWallet =>
  HDNodeWallet.fromPhrase(DEV_MNEMONIC, undefined, `m/44'/60'/0'/0/${index}`);

/** Hardhat account 3: holds ISSUER_ROLE from the deployment. */
export const ISSUER_INDEX = 3;
/** Hardhat account 9 pays the collectors' gas (the gateway signs with accounts 1, 2 and 4). */
export const FUNDER_INDEX = 9;

export interface DemoCollector {
  key: "liMing" | "wangFang" | "zhangWei";
  name: string;
  index: number;
  /** Days until the identity expires, by chain time. */
  expiresInDays: number;
}

export const COLLECTORS: DemoCollector[] = [
  { key: "liMing", name: "李明 Li Ming", index: 100, expiresInDays: 2 * 365 },
  { key: "wangFang", name: "王芳 Wang Fang", index: 101, expiresInDays: 2 * 365 },
  // Registered after the demo's time travel, so that it still expires within 30 days.
  { key: "zhangWei", name: "张伟 Zhang Wei", index: 102, expiresInDays: 20 },
];

export interface DemoCollection {
  key: "apsaras" | "greatWall";
  /** The Idempotency-Key of its mint: the same on every run. */
  mintKey: string;
  request: {
    name: string;
    description: string;
    attributes: Array<{ trait_type: string; value: string | number }>;
    editionSize: number;
    royalty: { receiver: string; bps: number };
    licence: { text: string; rights: Array<"display" | "personalUse" | "commercialUse" | "derivatives"> };
    transferPolicy: { mode: "Locked" | "GiftToVerified"; holdingPeriodDays: number; minLevel: number };
  };
  palette: Palette;
  /** Who receives editions 1, 2, … */
  recipients: DemoCollector["key"][];
  certificate: string;
}

const issuerAddress = devWallet(ISSUER_INDEX).address;

export const COLLECTIONS: DemoCollection[] = [
  {
    key: "apsaras",
    mintKey: "demo-apsaras-editions",
    palette: "dunhuang",
    recipients: ["liMing", "wangFang"],
    certificate: "作品登记证书 Copyright registration certificate\n作品：敦煌飞天 Dunhuang Flying Apsaras (demo)\n登记号：国作登字-2026-F-00000001\n",
    request: {
      name: "敦煌飞天 Dunhuang Flying Apsaras",
      description: "A digital study of the flying apsaras of the Mogao caves, Dunhuang. Locked: it never changes hands.",
      attributes: [
        { trait_type: "series", value: "丝路 Silk Road" },
        { trait_type: "artist", value: "Example Studio" },
      ],
      editionSize: 100,
      royalty: { receiver: issuerAddress, bps: 500 },
      licence: { text: "Personal display licence. 仅限个人展示，不得用于商业用途。", rights: ["display", "personalUse"] },
      transferPolicy: { mode: "Locked", holdingPeriodDays: 180, minLevel: 2 },
    },
  },
  {
    key: "greatWall",
    mintKey: "demo-great-wall-editions",
    palette: "dawn",
    recipients: ["liMing", "wangFang"],
    certificate: "作品登记证书 Copyright registration certificate\n作品：长城日出 Great Wall Sunrise (demo)\n登记号：国作登字-2026-F-00000002\n",
    request: {
      name: "长城日出 Great Wall Sunrise",
      description: "The Great Wall at Badaling at dawn. May be gifted to another verified collector after 180 days.",
      attributes: [
        { trait_type: "photographer", value: "Example Studio" },
        { trait_type: "place", value: "八达岭 Badaling" },
      ],
      editionSize: 500,
      royalty: { receiver: issuerAddress, bps: 500 },
      licence: { text: "Personal display licence. 仅限个人展示。", rights: ["display", "personalUse"] },
      transferPolicy: { mode: "GiftToVerified", holdingPeriodDays: 180, minLevel: 2 },
    },
  },
];

export const mediaOf = (c: DemoCollection): Uint8Array => drawPng(`demo ${c.key}`, c.palette);

export const ISSUER_LICENCE =
  "营业执照 Business licence (demo)\n名称：示例数字文化有限公司 Example Digital Culture Co., Ltd.\n统一社会信用代码：91110000000000000X\n";

export const dossierOf = (c: DemoCollector) => `KYC dossier (demo): ${c.name}, verified by the demo attestor\n`;

/** The gift: edition 1 of the GiftToVerified collection, from the first collector to the second. */
export const GIFT = { collection: "greatWall" as const, edition: 1, from: "liMing" as const, to: "wangFang" as const };
/** The frozen token: edition 2 of the Locked collection. */
export const FROZEN = { collection: "apsaras" as const, edition: 2 };
