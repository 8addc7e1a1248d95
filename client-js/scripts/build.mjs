// Builds dist/: the ESM library (hls.js external), its .d.ts files, and the <script> bundle
// (hls.js included, global `HlsCdnPlayer`). Deterministic: no timestamps, no absolute paths.
import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
const hlsVersion = JSON.parse(readFileSync(require.resolve("hls.js/package.json"), "utf8")).version;

rmSync("dist", { recursive: true, force: true });

const common = { bundle: true, target: "es2020", charset: "utf8", logLevel: "warning" };

await build({
  ...common,
  entryPoints: ["src/index.ts"],
  outfile: "dist/index.js",
  format: "esm",
  external: ["hls.js"],
  banner: { js: `/* ${pkg.name} ${pkg.version} (MIT) */` },
});

await build({
  ...common,
  entryPoints: ["src/global.ts"],
  outfile: "dist/hlscdn-player.min.js",
  format: "iife",
  minify: true,
  legalComments: "eof",
  // The light build has everything a single-rendition MPEG-TS live stream needs (no subtitles,
  // alternate audio or DRM) and is a third smaller.
  alias: { "hls.js": "hls.js/light" },
  banner: { js: `/* ${pkg.name} ${pkg.version} (MIT), bundles hls.js ${hlsVersion} light (Apache-2.0). Global: HlsCdnPlayer */` },
});

execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.json"], { stdio: "inherit" });
