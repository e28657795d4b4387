// build.mjs: builds the portal's vendored assets into ui/static/vendor, run by
// `make ui`. esbuild bundles portal.css (Bootstrap Italia and the Titillium Web
// faces); PurgeCSS keeps only the rules whose classes the portal's sources
// (ui/static/**/*.js, index.html) name; esbuild minifies the result. The font
// files, the icons the portal uses (from Bootstrap Italia's sprite) and the
// licences are copied beside it; Chart.js is bundled as an ES module for the
// monitoring's charts. No source maps: the output is committed.
import * as esbuild from 'esbuild';
import { PurgeCSS } from 'purgecss';
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const staticDir = join(here, '..', 'static');
const out = join(staticDir, 'vendor');
const bi = join(here, 'node_modules', 'bootstrap-italia');
const version = JSON.parse(readFileSync(join(bi, 'package.json'), 'utf8')).version;

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'fonts'), { recursive: true });

// 1. Bundle: resolve the @import from node_modules; font URLs stay as written.
const bundled = await esbuild.build({
  entryPoints: [join(here, 'portal.css')], bundle: true, write: false, minify: false,
  external: ['fonts/*'], logLevel: 'warning', outfile: 'portal.css',
});
// Only the portal's own faces: Bootstrap Italia also carries video.js's icon font.
const css = bundled.outputFiles[0].text.replace(/@font-face\s*{[^}]*}/g, (f) => (f.includes('Titillium Web') ? f : ''));

// 2. Purge: the portal's sources are the content; classes added at run time
// by name (the mobile menu's state) are listed.
const sources = [];
(function walk(d) {
  for (const n of readdirSync(d)) {
    const p = join(d, n);
    if (p === out) continue;
    if (statSync(p).isDirectory()) walk(p);
    else if (/\.(js|html)$/.test(n)) sources.push(p);
  }
})(staticDir);
const [purged] = await new PurgeCSS().purge({
  content: sources, css: [{ raw: css }], fontFace: false, keyframes: true, variables: true,
  safelist: { standard: ['expanded', 'show', 'active', 'focus--mouse', 'is-invalid', 'just-validate-error-label'], greedy: [/^it-header/] },
  defaultExtractor: (s) => s.match(/[\w-/:%.]+(?<!:)/g) || [],
});

// 3. Minify.
const min = await esbuild.transform(purged.css, { loader: 'css', minify: true, legalComments: 'none' });
const banner = `/*! Bootstrap Italia v${version} (BSD-3-Clause, LICENSE-bootstrap-italia.txt) and Titillium Web (SIL OFL 1.1, fonts/OFL.txt), purged to the rules the portal uses by ui/build/build.mjs */\n`;
writeFileSync(join(out, 'bootstrap-italia.css'), banner + min.code);

// 4. Fonts and licences.
for (const m of css.matchAll(/url\("?fonts\/([^")]+)"?\)/g)) {
  writeFileSync(join(out, 'fonts', m[1]), readFileSync(join(bi, 'dist', 'fonts', 'Titillium_Web', m[1])));
}
writeFileSync(join(out, 'fonts', 'OFL.txt'), readFileSync(join(bi, 'dist', 'fonts', 'Titillium_Web', 'OFL.txt')));
writeFileSync(join(out, 'LICENSE-bootstrap-italia.txt'), readFileSync(join(bi, 'LICENSE')));

// 5. Icons: only the symbols of the sprite the sources name (#it-…).
const used = new Set();
for (const f of sources) for (const m of readFileSync(f, 'utf8').matchAll(/['"#](it-[a-z0-9-]+)['"]/g)) used.add(m[1]);
const sprite = readFileSync(join(bi, 'dist', 'svg', 'sprites.svg'), 'utf8');
const symbols = [...sprite.matchAll(/<symbol[^>]*id="([^"]+)"[\s\S]*?<\/symbol>/g)].filter((m) => used.has(m[1])).map((m) => m[0]);
writeFileSync(join(out, 'sprites.svg'), '<svg xmlns="http://www.w3.org/2000/svg">' + symbols.join('') + '</svg>\n');

// 6. Chart.js for the monitoring's charts: an ES module of only the parts used.
const chartVersion = JSON.parse(readFileSync(join(here, 'node_modules', 'chart.js', 'package.json'), 'utf8')).version;
mkdirSync(join(out, 'charts'), { recursive: true });
await esbuild.build({
  entryPoints: [join(here, 'charts.mjs')], bundle: true, format: 'esm', minify: true, legalComments: 'none',
  outfile: join(out, 'charts', 'chart.js'), logLevel: 'warning',
  banner: { js: `/*! Chart.js v${chartVersion} (MIT, LICENSE-chart.js.md), bundled by ui/build/build.mjs */` },
});
writeFileSync(join(out, 'charts', 'LICENSE-chart.js.md'), readFileSync(join(here, 'node_modules', 'chart.js', 'LICENSE.md')));

const size = (p) => statSync(p).size;
console.log(`charts/chart.js ${size(join(out, 'charts', 'chart.js'))} bytes; bootstrap-italia.css ${size(join(out, 'bootstrap-italia.css'))} bytes (from ${css.length}), ${symbols.length} icons, fonts: ${readdirSync(join(out, 'fonts')).length - 1}`);

// 7. The forms bundle (its own folder, its own licence): the JSON Schema
// validator the browser checks forms with, as one ES module.
mkdirSync(join(out, 'forms'), { recursive: true });
await esbuild.build({
  entryPoints: [join(here, 'forms.mjs')], bundle: true, format: 'esm', platform: 'browser', target: 'es2022',
  minify: true, legalComments: 'none', outfile: join(out, 'forms', 'json-schema.js'), logLevel: 'warning',
  banner: { js: '/*! @cfworker/json-schema (MIT, LICENSE-cfworker-json-schema.txt), bundled by ui/build/build.mjs */' },
});
// The npm package ships no licence file: its package.json declares MIT, whose
// text is reproduced with the author and repository the package names.
const cfw = JSON.parse(readFileSync(join(here, 'node_modules', '@cfworker', 'json-schema', 'package.json'), 'utf8'));
writeFileSync(join(out, 'forms', 'LICENSE-cfworker-json-schema.txt'), `${cfw.name} ${cfw.version}, ${cfw.repository}
License: ${cfw.license} (as declared in the package's package.json)

MIT License

Copyright (c) ${cfw.author}

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
`);
console.log(`forms/json-schema.js ${size(join(out, 'forms', 'json-schema.js'))} bytes`);
