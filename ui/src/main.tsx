/**
 * The bootstrap: starts loading the page the URL opens and the app at once (both are code-split), then
 * mounts the app. Without it the page's chunk would be requested only after the app had started.
 */
import { preloadPage } from "./app/pages";

preloadPage(window.location.pathname);
void import("./app/mount").then(({ mount }) => mount(document.getElementById("root")!));
