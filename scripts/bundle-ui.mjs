// Bundles the console (Ink, React, the screens) into dist/ui-bundle.mjs: loading one
// file instead of several hundred modules is most of the console's cold start.
import * as esbuild from 'esbuild';

const stubDevtools = {
	name: 'stub-react-devtools',
	setup(build) {
		// Ink imports it only with DEV=true; it is not a dependency. Fail the same way as unbundled.
		build.onResolve({filter: /^react-devtools-core$/}, () => ({path: 'react-devtools-core', namespace: 'stub'}));
		build.onLoad({filter: /.*/, namespace: 'stub'}, () => ({
			contents: "throw Object.assign(new Error(\"Cannot find package 'react-devtools-core'\"), {code: 'ERR_MODULE_NOT_FOUND'});",
		}));
	},
};

await esbuild.build({
	entryPoints: ['source/ui/console-entry.ts'],
	outfile: 'dist/ui-bundle.mjs',
	bundle: true,
	platform: 'node',
	format: 'esm',
	target: 'node20',
	minify: true,
	legalComments: 'none',
	define: {'process.env.NODE_ENV': '"production"'},
	// Some dependencies are CommonJS and call require(): give the ESM bundle one.
	banner: {js: "import {createRequire as __lsRequire} from 'node:module'; const require = __lsRequire(import.meta.url);"},
	plugins: [stubDevtools],
	logLevel: 'warning',
});
