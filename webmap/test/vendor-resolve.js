// Module resolve hook (see vendor.js): "/vendor/simple-statistics/x.mjs" → node_modules/simple-statistics/dist/x.mjs.
// Mirrors VENDOR in api/main.py for the packages the ES modules import.
const VENDOR = { "simple-statistics": "simple-statistics/dist" };

export async function resolve(specifier, context, next) {
  const m = /^\/vendor\/([^/]+)\/([^?#]+)$/.exec(specifier);
  if (m && m[1] in VENDOR) return next(new URL(`../node_modules/${VENDOR[m[1]]}/${m[2]}`, import.meta.url).href, context);
  return next(specifier, context);
}
