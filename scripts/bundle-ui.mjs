// Bundles everything from the command line to the console's first frame (run-console,
// Ink, React, the screens) into dist/console.cjs. Loading one file instead of several
// hundred modules, compiled from V8's code cache (source/cli/console-bundle.ts), is most
// of the console's cold start. The engine modules (dockerode, grpc-js, ...) stay outside:
// run-console.ts imports them after the first frame, from dist/source as tsc wrote them.
import {createHash} from 'node:crypto';
import {rmSync, writeFileSync} from 'node:fs';
import {dirname, relative, resolve, sep} from 'node:path';
import * as esbuild from 'esbuild';
import {bundlePatches} from './bundle-patches.mjs';
import {seaPatches} from './sea-patches.mjs';

const outfile = 'dist/console.cjs';
/** run-console.ts's dynamic imports that the first frame needs; the others load after it. */
const firstFrame = new Set(['source/cli/pending-services.ts', 'source/ui/console-entry.ts']);

/** Dynamic imports in run-console.ts outside the first-frame set: left to dist/source (paths relative to dist/). */
const deferred = {
	name: 'layerscope-deferred-imports',
	setup(build) {
		build.onResolve({filter: /^\.\.?\//}, args => {
			if (args.kind !== 'dynamic-import' || !args.importer.endsWith(`${sep}source${sep}cli${sep}run-console.ts`)) return undefined;
			const target = relative(process.cwd(), resolve(dirname(args.importer), args.path))
				.split(sep)
				.join('/');
			if (firstFrame.has(target.replace(/\.js$/, '.ts'))) return undefined;
			return {path: `./${target}`, external: true};
		});
	},
};

const result = await esbuild.build({
	entryPoints: ['source/cli/console-main.ts'],
	bundle: true,
	write: false,
	outfile,
	platform: 'node',
	format: 'cjs',
	target: 'node20',
	minify: true,
	legalComments: 'none',
	charset: 'ascii',
	// console-bundle.ts runs the bundle in a function with these two parameters.
	define: {'process.env.NODE_ENV': '"production"', 'import.meta.url': '__lsUrl'},
	plugins: [deferred, ...bundlePatches, seaPatches],
	logLevel: 'warning',
	// run-console.ts sets NODE_ENV for what it loads from dist/source; the bundle's copy is fixed above.
	logOverride: {'assign-to-define': 'silent'},
});

let code = result.outputFiles[0].text;
// import() cannot run in a vm.Script without an experimental flag: the loader passes its own.
code = code.replace(/\bimport\((".\/source\/[^"]+")\)/g, '__lsImport($1)');
if (/\bimport\s*\(/.test(code)) throw new Error(`bundle-ui: ${outfile} still has an import() the loader cannot run`);
if (/[^\x00-\x7f]/.test(code)) throw new Error(`bundle-ui: ${outfile} is not ASCII`);
const hash = createHash('sha256').update(code).digest('hex').slice(0, 32);
writeFileSync(outfile, `// layerscope-console ${hash}\n${code}`);
// The ES module bundle this file replaced.
rmSync('dist/ui-bundle.mjs', {force: true});
