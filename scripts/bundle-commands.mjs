// Bundles `report` and `plan` (source/cli/command-main.ts) with the engine clients into
// dist/commands.cjs, and `image NAME` (source/cli/image-main.ts) into dist/image.cjs, which
// cli.tsx runs through V8's code cache (source/cli/console-bundle.ts) as it does the console's
// first frame (issues 18 and 15). Separate from bundle-ui.mjs on purpose:
// the console bundle leaves the engine modules out, this one is mostly them.
import {createHash} from 'node:crypto';
import {readFileSync, writeFileSync} from 'node:fs';
import * as esbuild from 'esbuild';
import {bundlePatches, modemDebug, replaceOnce} from './bundle-patches.mjs';
import {ownModules} from './lib/own-modules.mjs';
import {seaPatches} from './sea-patches.mjs';

/**
 * What `report` and `plan` never use is not evaluated: dockerode's BuildKit session
 * (@grpc/grpc-js, protobufjs) and docker-modem's ssh:// transport (ssh2) load on first
 * use instead of with dockerode. Same calls, same results.
 */
const lazyRequires = {
	name: 'layerscope-lazy-requires',
	setup(build) {
		build.onLoad({filter: /[\\/]node_modules[\\/]dockerode[\\/]lib[\\/]docker\.js$/}, args => ({
			contents: replaceOnce(readFileSync(args.path, 'utf8'), "withSession = require('./session'),", "withSession = function () { return require('./session').apply(this, arguments); },", args.path),
			loader: 'js',
		}));
		// dockerode's build-context packing (tar-fs with tar-stream, zlib, .dockerignore) for
		// buildImage only, which report and plan never call.
		build.onLoad({filter: /[\\/]node_modules[\\/]dockerode[\\/]lib[\\/]util\.js$/}, args => {
			let text = readFileSync(args.path, 'utf8');
			text = replaceOnce(text, "var DockerIgnore = require('@balena/dockerignore');", "var DockerIgnore = function () { return require('@balena/dockerignore').apply(this, arguments); };", args.path);
			text = replaceOnce(text, "var tar = require('tar-fs');", `var tar = ${lazyModule("require('tar-fs')")};`, args.path);
			text = replaceOnce(text, "var zlib = require('zlib');", `var zlib = ${lazyModule("require('zlib')")};`, args.path);
			return {contents: text, loader: 'js'};
		});
		// https (with tls and crypto) for https:// endpoints only: the prototype docker-modem's
		// wrapper inherits from is a view that loads the module on its first property read.
		build.onLoad({filter: /[\\/]node_modules[\\/]docker-modem[\\/]lib[\\/]http\.js$/}, args => ({
			contents: replaceOnce(readFileSync(args.path, 'utf8'), "var nativeHttps = require('https'),", `var nativeHttps = ${lazyModule("require('https')")},`, args.path),
			loader: 'js',
		}));
		build.onLoad({filter: /[\\/]node_modules[\\/]docker-modem[\\/]lib[\\/]modem\.js$/}, args => ({
			// This plugin loads modem.js before bundlePatches would: apply its rewrite here too.
			contents: modemDebug(replaceOnce(readFileSync(args.path, 'utf8'), "ssh = require('./ssh'),", "ssh = function () { return require('./ssh').apply(this, arguments); },", args.path), args.path),
			loader: 'js',
		}));
	},
};

/** An object whose properties are those of the module `load` returns, which is loaded on the first read. */
function lazyModule(load) {
	return `new Proxy({}, {get: function (_, key) { return ${load}[key]; }, has: function (_, key) { return key in ${load}; }})`;
}

/** Optional modules tried in try/catch (ssh2's native add-ons, debug's supports-color): missing, as where they are not installed. */
const nativeAddons = {
	name: 'layerscope-command-native-addons',
	setup(build) {
		build.onResolve({filter: /^(cpu-features|supports-color)$|\.node$/}, args => ({path: args.path, namespace: 'layerscope-missing'}));
		build.onLoad({filter: /.*/, namespace: 'layerscope-missing'}, args => ({
			contents: `throw Object.assign(new Error(${JSON.stringify(`Cannot find module '${args.path}'`)}), {code: 'MODULE_NOT_FOUND'});`,
			loader: 'js',
		}));
	},
};

/**
 * Left to node_modules, loaded on first use only: gRPC and protobuf (the CRI client, and
 * dockerode's BuildKit session), ssh2 (ssh:// endpoints) and yaml (the markdown format's
 * kubelet config). Half the bundle otherwise, for what a Docker node's report never runs.
 */
const onFirstUse = ['@grpc/grpc-js', '@grpc/proto-loader', 'ssh2', 'yaml'];

/** One bundle: `entry` into `outfile`, its first line naming it (`name`, checked by console-bundle.ts) with its content hash. */
async function bundleCommands(entry, outfile, name) {
	const result = await esbuild.build({
		entryPoints: [entry],
		bundle: true,
		write: false,
		outfile,
		external: onFirstUse,
		platform: 'node',
		format: 'cjs',
		target: 'node20',
		minify: true,
		keepNames: true,
		legalComments: 'none',
		charset: 'ascii',
		define: {'process.env.NODE_ENV': '"production"', 'import.meta.url': '__lsUrl'},
		plugins: [ownModules('layerscope-command-modules'), lazyRequires, nativeAddons, ...bundlePatches, seaPatches],
		logLevel: 'warning',
		logOverride: {'assign-to-define': 'silent'},
	});

	// yaml is read only where a kubelet config file (report, plan) or a .dive-ci file (image --ci)
	// exists: required on first use, not at load. One require per module that imports it.
	const yamlRequires = result.outputFiles[0].text.split('require("yaml")');
	if (yamlRequires.length < 2) throw new Error(`bundle-commands: no require("yaml") in ${outfile}; update scripts/bundle-commands.mjs`);
	const code = yamlRequires.join(lazyModule('require("yaml")'));
	if (/\bimport\s*\(/.test(code)) throw new Error(`bundle-commands: ${outfile} has an import() the loader cannot run`);
	if (/[^\x00-\x7f]/.test(code)) throw new Error(`bundle-commands: ${outfile} is not ASCII`);
	const hash = createHash('sha256').update(code).digest('hex').slice(0, 32);
	writeFileSync(outfile, `// layerscope-${name} ${hash}\n${code}`);
}

await bundleCommands('source/cli/command-main.ts', 'dist/commands.cjs', 'commands');
// `image NAME` alone: half the code to read and evaluate at its start (issue 15).
await bundleCommands('source/cli/image-main.ts', 'dist/image.cjs', 'image');
