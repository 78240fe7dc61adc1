// Lets node resolve the web map's "/vendor/<package>/<file>" imports, the URLs under which the
// server serves npm packages (VENDOR in api/main.py), to the same files in webmap/node_modules:
// the unit tests import the modules exactly as the browser does, without an import map (an
// inline script, which the Content-Security-Policy forbids). Loaded by `node --import`.
import { register } from "node:module";

register("./vendor-resolve.js", import.meta.url);
