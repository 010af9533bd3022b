/**
 * The browser-safe verification code, as the console's log page uses it, gathered for one browser
 * bundle (test/e2e/log-receipt.test.ts builds it and runs it in Chromium).
 */
export { entryBytes } from "../../shared/log/entry";
export { verifyReceipt } from "../../shared/log/receipt";
export { bundleSource, verifyLog } from "../../shared/verify/log";
