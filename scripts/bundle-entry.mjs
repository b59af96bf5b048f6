// Rewrites dist/cli.js (tsc's ES module) as ONE CommonJS file: cli.tsx with what it imports
// statically (the flag parsing, the launchers, the bundle loader, the engine prefetch). Node
// then starts `layerscope` without its ES module loader and without reading and linking nine
// modules: about 11 ms of every command's and the console's start here (issue 15's image
// analysis, bench/image.mjs). What the entry imports dynamically (the commands' modules,
// meow) stays where tsc wrote it, under dist/source, as ES modules.
//
// dist/package.json ("type": "commonjs", with the package's name, version and description,
// which meow prints) makes dist/cli.js CommonJS; dist/source/package.json ("type": "module")
// keeps tsc's output ES modules.
import {chmodSync, readFileSync, writeFileSync} from 'node:fs';
import {dirname, relative, resolve, sep} from 'node:path';
import * as esbuild from 'esbuild';
import {ownModules} from './lib/own-modules.mjs';

const outfile = 'dist/cli.js';
const posix = path => path.split(sep).join('/');

/** Dynamic imports stay dynamic: our modules from dist/source (paths relative to dist/), packages from node_modules. */
const dynamicImports = {
	name: 'layerscope-entry-dynamic-imports',
	setup(build) {
		build.onResolve({filter: /.*/}, args => {
			if (args.kind !== 'dynamic-import') return undefined;
			if (!args.path.startsWith('.')) return {path: args.path, external: true};
			return {path: `./${posix(relative(process.cwd(), resolve(dirname(args.importer), args.path)))}`, external: true};
		});
		// A static import of a package would be evaluated at every start: the entry takes none.
		build.onResolve({filter: /^[^./]/}, args => {
			if (args.kind === 'dynamic-import' || args.path.startsWith('node:')) return undefined;
			return {errors: [{text: `bundle-entry: ${args.importer} imports the package ${args.path} statically; import it dynamically where it is used`}]};
		});
	},
};

const result = await esbuild.build({
	entryPoints: ['cli.tsx'],
	bundle: true,
	write: false,
	outfile,
	platform: 'node',
	format: 'cjs',
	target: 'node20',
	// import() of ES modules (dist/source, meow) must stay import(): require() cannot load them on Node 20.
	supported: {'dynamic-import': true},
	legalComments: 'none',
	charset: 'ascii',
	banner: {js: "'use strict';\nconst __lsUrl = require('node:url').pathToFileURL(__filename).href;\nconst __lsMeta = {url: __lsUrl};"},
	define: {'import.meta': '__lsMeta'},
	plugins: [ownModules('layerscope-entry-modules'), dynamicImports],
	logLevel: 'warning',
});
const code = result.outputFiles[0].text;
if (/\brequire\("(?!node:)[^"]+"\)/.test(code)) throw new Error(`bundle-entry: ${outfile} requires a module that is not Node's own`);
writeFileSync(outfile, code);
chmodSync(outfile, 0o755);

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const note = 'written by scripts/bundle-entry.mjs: dist/cli.js is CommonJS, dist/source holds ES modules';
writeFileSync('dist/package.json', JSON.stringify({name: pkg.name, version: pkg.version, description: pkg.description, type: 'commonjs', private: true, comment: note}, null, 2) + '\n');
writeFileSync('dist/source/package.json', JSON.stringify({type: 'module', comment: note}, null, 2) + '\n');
